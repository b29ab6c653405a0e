package org.llama3j.cli;

import java.nio.file.Files;
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
@Command(name = "info", mixinStandardHelpOptions = true, description = "Describe a model file.")
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
            for (Tensor t : llama.file().tensors().values()) {
                types.merge(t.type(), 1, Integer::sum);
                typeBytes.merge(t.type(), t.byteSize(), Long::sum);
                params += t.elementCount();
            }
            var md = llama.file().metadata();
            System.out.printf("file:            %s (%.1f MiB, GGUF v%d)%n", llama.source(),
                    Files.size(model.require()) / 1048576.0, llama.file().version());
            System.out.printf("name:            %s%n", md.optString("general.name").orElse("-"));
            System.out.printf("architecture:    llama (%d layers, dim %d, %d heads, %d kv heads, head dim %d, ffn %d)%n",
                    c.layers(), c.dim(), c.heads(), c.kvHeads(), c.headDim(), c.ffnDim());
            System.out.printf("parameters:      %,d%n", params);
            System.out.printf("context length:  %d%n", c.contextLength());
            System.out.printf("rope:            theta %.0f%s%n", c.ropeTheta(),
                    llama.file().hasTensor("rope_freqs.weight") ? ", llama3 scaling (rope_freqs tensor)" : "");
            System.out.printf("rms norm eps:    %g%n", c.normEps());
            System.out.printf("embeddings:      %s%n", c.tiedEmbeddings() ? "tied" : "untied");
            StringBuilder sb = new StringBuilder();
            types.forEach((t, n) -> sb.append(String.format("%s %d (%.1f MiB)  ", t, n, typeBytes.get(t) / 1048576.0)));
            System.out.printf("tensor types:    %s%n", sb.toString().trim());
            System.out.printf("tokenizer:       byte-level BPE, %d tokens (%d special), pre '%s', bos %d, end tokens %s%n",
                    llama.tokenizer().vocabularySize(), llama.tokenizer().specialTokens().size(),
                    md.optString("tokenizer.ggml.pre").orElse("-"), llama.bos(), llama.endTokens());
            System.out.printf("chat template:   %s%n", md.contains("tokenizer.chat_template") ? "present" : "none (Llama 3 format used)");
        }
        return 0;
    }
}
