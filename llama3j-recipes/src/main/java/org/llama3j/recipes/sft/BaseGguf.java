package org.llama3j.recipes.sft;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.llama3j.Llama;
import org.llama3j.tokenizer.ByteSequence;
import org.llama3j.tokenizer.TiktokenFile;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.data.LoaderPosition;
import org.llama3j.train.lora.BaseModelLoader;
import org.llama3j.train.model.LlamaParameters;

/**
 * A GGUF model as a training state to fine-tune: its weights (dequantized to FP32 by
 * {@link BaseModelLoader}), fresh optimizer moments, and its tokenizer as tiktoken ranks. The ranks are
 * the byte strings of ids {@code 0 … mergeableCount-1}: a GGUF written by {@code GgufExporter} stores the
 * tokenizer's rank {@code r} as token {@code r}, so re-exporting the state writes the same vocabulary.
 */
public final class BaseGguf {

    private BaseGguf() {
    }

    public static TrainingState read(Path gguf) throws IOException {
        try (Llama llama = Llama.load(gguf)) {
            LlamaParameters frozen = BaseModelLoader.fromWeights(llama.config(), llama.model().weights());
            float[] weights = frozen.values().clone();
            return new TrainingState(frozen.shape(), 0, weights, new float[weights.length], new float[weights.length], 0,
                    LoaderPosition.START, 0, 0, 0, 0, new long[0], tiktoken(llama.tokenizer()));
        }
    }

    static byte[] tiktoken(Tokenizer t) {
        Map<ByteSequence, Integer> ranks = new LinkedHashMap<>();
        for (int id = 0; id < t.mergeableCount(); id++) {
            ranks.put(ByteSequence.of(t.tokenBytes(id)), id);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TiktokenFile.write(ranks, out);
        return out.toByteArray();
    }
}
