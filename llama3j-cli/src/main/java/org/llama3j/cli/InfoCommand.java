package org.llama3j.cli;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.llama3j.Llama;
import org.llama3j.model.LlamaConfig;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code llama3j info}: architecture, sizes, tensor types and tokenizer of a model file. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Describe a model (GGUF file or Hugging Face checkpoint directory).")
final class InfoCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Override
    public Integer call() throws Exception {
        try (Llama llama = Llama.load(model.require())) {
            LlamaConfig c = llama.config();
            Map<DType, Integer> types = new TreeMap<>();
            Map<DType, Long> typeBytes = new TreeMap<>();
            long params = 0;
            var loaded = llama.loaded();
            for (Tensor t : loaded.tensors().values()) {
                types.merge(t.type(), 1, Integer::sum);
                typeBytes.merge(t.type(), t.byteSize(), Long::sum);
                params += t.elementCount();
            }
            var gguf = loaded.gguf();
            System.out.printf("file:            %s (%.1f MiB, %s)%n", llama.source(), loaded.sizeBytes() / 1048576.0,
                    loaded.format());
            System.out.printf("name:            %s%n", loaded.name().orElse("-"));
            System.out.printf("architecture:    llama (%d layers, dim %d, %d heads, %d kv heads, head dim %d, ffn %d)%n",
                    c.layers(), c.dim(), c.heads(), c.kvHeads(), c.headDim(), c.ffnDim());
            System.out.printf("parameters:      %,d%n", params);
            System.out.printf("context length:  %d%n", c.contextLength());
            System.out.printf("rope:            theta %.0f%s%n", c.ropeTheta(),
                    ropeScaled(c) ? ", llama3 scaling" : "");
            System.out.printf("rms norm eps:    %g%n", c.normEps());
            System.out.printf("embeddings:      %s%n", c.tiedEmbeddings() ? "tied" : "untied");
            StringBuilder sb = new StringBuilder();
            types.forEach((t, n) -> sb.append(String.format("%s %d (%.1f MiB)  ", t, n, typeBytes.get(t) / 1048576.0)));
            System.out.printf("tensor types:    %s%n", sb.toString().trim());
            System.out.printf("tokenizer:       byte-level BPE, %d tokens (%d special), pre '%s', bos %d, end tokens %s%n",
                    llama.tokenizer().vocabularySize(), llama.tokenizer().specialTokens().size(),
                    gguf.flatMap(f -> f.metadata().optString("tokenizer.ggml.pre")).orElse("-"), llama.bos(),
                    llama.endTokens());
            System.out.printf("chat template:   %s%n", loaded.chatTemplate().isPresent() ? "present" : "none (Llama 3 format used)");
        }
        return 0;
    }

    private static boolean ropeScaled(LlamaConfig c) {
        for (float d : c.ropeFrequencyDivisors()) {
            if (d != 1f) {
                return true;
            }
        }
        return false;
    }
}
