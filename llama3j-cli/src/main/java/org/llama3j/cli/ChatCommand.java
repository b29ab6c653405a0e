package org.llama3j.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.llama3j.ChatSession;
import org.llama3j.Llama;
import org.llama3j.generate.GenerationResult;
import org.llama3j.model.ContextOverflowException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code llama3j chat}: interactive multi-turn chat with the chat template, reusing the KV cache
 * across turns; {@code /reset} starts over, {@code /exit} (or end of input) quits.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, description = "Chat with a model (multi-turn, streamed).")
final class ChatCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Mixin
    LoraOption lora = new LoraOption();

    @Mixin
    KvTypeOption kvType = new KvTypeOption();

    @Mixin
    SamplingOptions sampling = new SamplingOptions();

    @Option(names = "--system", paramLabel = "TEXT", description = "System message.")
    String system;

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N", defaultValue = "512", description = "Most tokens per answer (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = {"-c", "--ctx"}, paramLabel = "N", defaultValue = "4096", description = "Context to reserve (default: ${DEFAULT-VALUE}).")
    int ctx;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        Threads.apply(threads);
        if (ctx < 16) {
            throw new UserException("--ctx must be at least 16, got " + ctx);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        boolean tty = System.console() != null;
        try (Llama llama = lora.load(model.require())) {
            kvType.apply(llama.model());
            ChatSession chat = llama.chat(system, ctx);
            if (tty) {
                out.println("llama3j chat: " + llama.source() + " — /reset to start over, /exit to quit");
            }
            while (true) {
                if (tty) {
                    out.print("> ");
                    out.flush();
                }
                String line = in.readLine();
                if (line == null || line.strip().equals("/exit")) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                if (line.strip().equals("/reset")) {
                    chat.reset();
                    out.println("(conversation reset)");
                    continue;
                }
                try {
                    GenerationResult r = chat.send(line, maxTokens, sampling.params(), (id, text) -> out.print(text), () -> false);
                    out.println();
                    if (tty) {
                        System.err.printf("(%d tokens, %.1f tok/s, context %d/%d)%n", r.tokens().length,
                                r.generatedTokensPerSecond(), chat.contextUsed(), ctx);
                    }
                } catch (ContextOverflowException e) {
                    out.println("(context full: " + e.getMessage() + "; use /reset)");
                }
            }
        }
        return 0;
    }
}
