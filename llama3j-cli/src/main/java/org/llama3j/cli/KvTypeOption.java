package org.llama3j.cli;

import org.llama3j.model.LlamaModel;
import org.llama3j.tensor.DType;
import picocli.CommandLine.Option;

/** The {@code --kv-type f32|f16} option: the KV cache element type of the sequences a command runs. */
final class KvTypeOption {
    enum KvType { f32, f16 }

    @Option(names = "--kv-type", paramLabel = "f32|f16", defaultValue = "f32",
            description = "KV cache type: f32 (default, llama.cpp's exact mode) or f16 (half the memory, "
                    + "as llama.cpp's default -ctk f16 -ctv f16).")
    KvType kvType = KvType.f32;

    void apply(LlamaModel model) {
        model.setKvType(kvType == KvType.f16 ? DType.F16 : DType.F32);
    }
}
