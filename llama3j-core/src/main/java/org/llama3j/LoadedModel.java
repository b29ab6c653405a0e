package org.llama3j;

import java.util.Map;
import java.util.Optional;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.tensor.Tensor;

/**
 * The files a {@link Llama} was loaded from and keeps open (mapped) until closed: a GGUF file or a
 * Hugging Face safetensors checkpoint directory.
 *
 * @param format       human-readable format, e.g. "GGUF v3" or "Hugging Face safetensors (2 files)"
 * @param name         the model's name when the files record one
 * @param tensors      the stored tensors by their names in the file, as stored (ggml shape order)
 * @param sizeBytes    bytes the weight files take on disk
 * @param chatTemplate the Jinja chat template the files carry, if any
 * @param gguf         the GGUF file, for GGUF models
 * @param closer       unmaps the files
 */
public record LoadedModel(String format, Optional<String> name, Map<String, Tensor> tensors, long sizeBytes,
                          Optional<String> chatTemplate, Optional<GgufFile> gguf, AutoCloseable closer)
        implements AutoCloseable {

    public LoadedModel {
        tensors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tensors));
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing " + format + ": " + e.getMessage(), e);
        }
    }
}
