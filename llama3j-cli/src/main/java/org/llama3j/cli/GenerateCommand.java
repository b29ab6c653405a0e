package org.llama3j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.llama3j.Llama;
import org.llama3j.StartupTrace;
import org.llama3j.generate.GenerationResult;
import org.llama3j.generate.TokenListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code llama3j generate}: continues a plain-text prompt (BOS added, no chat template). */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Continue a plain-text prompt.")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Mixin
    LoraOption lora = new LoraOption();

    @Mixin
    KvTypeOption kvType = new KvTypeOption();

    @Mixin
    SamplingOptions sampling = new SamplingOptions();

    @Option(names = {"-p", "--prompt"}, required = true, paramLabel = "TEXT", description = "Prompt text.")
    String prompt;

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N", defaultValue = "256", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when this text appears (repeatable).")
    List<String> stop = List.of();

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "Output format: ${COMPLETION-CANDIDATES}.")
    Format format;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    enum Format { text, json }

    @Override
    public Integer call() throws Exception {
        if (maxTokens < 0) {
            throw new UserException("--max-tokens must be >= 0, got " + maxTokens);
        }
        StartupTrace.mark("command line parsed");
        Threads.apply(threads);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Llama llama = lora.load(model.require())) {
            kvType.apply(llama.model());
            int[] promptTokens = llama.tokenizePrompt(prompt);
            StartupTrace.mark("prompt tokenized");
            TokenListener listener = format == Format.text ? (id, text) -> out.print(text) : TokenListener.NONE;
            GenerationResult r = llama.generate(promptTokens, maxTokens, sampling.params(), stop, listener, () -> false);
            if (format == Format.text) {
                out.println();
                System.err.printf("llama3j: prompt %d tokens (%.1f tok/s), generated %d tokens (%.1f tok/s), %s%n",
                        promptTokens.length, r.promptTokensPerSecond(), r.tokens().length, r.generatedTokensPerSecond(),
                        r.finishReason().name().toLowerCase());
            } else {
                ObjectMapper json = new ObjectMapper();
                ObjectNode o = json.createObjectNode();
                o.putPOJO("prompt_tokens", promptTokens);
                o.putPOJO("tokens", r.tokens());
                o.put("text", r.text());
                o.put("finish_reason", r.finishReason().name().toLowerCase());
                o.put("seed", sampling.effectiveSeed());
                o.put("prompt_tokens_per_second", r.promptTokensPerSecond());
                o.put("tokens_per_second", r.generatedTokensPerSecond());
                out.println(json.writeValueAsString(o));
            }
        }
        return 0;
    }
}
