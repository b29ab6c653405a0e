package org.llama3j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.llama3j.Llama;
import org.llama3j.train.export.ChatTemplates;

/** The shipped default model (models/llama3j-default.gguf): loads, is used without --model, and MODEL_CARD.md's number holds. */
class DefaultModelTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path MODEL = ROOT.resolve(DefaultModel.RELATIVE_PATH);
    static final Path HELD_OUT = ROOT.resolve("models/llama3j-default-heldout.txt");
    static final Path CARD = ROOT.resolve("MODEL_CARD.md");
    /** MODEL_CARD.md shows the output of the perplexity command in a code block. */
    static final Pattern CARD_PERPLEXITY = Pattern.compile("(?m)^perplexity: ([0-9]+\\.[0-9]+)$");
    /** A chat task row of MODEL_CARD.md's evaluation table: task name first, exact match ± stderr last. */
    static final Pattern CARD_CHAT_TASK = Pattern.compile("(?m)^\\| `(chat-[a-z-]+)` \\|.*\\| ([0-9]\\.[0-9]{3}) ± [0-9.]+ \\|$");

    @Test
    void shippedModelIsSmallAndCarriesTheLlama3ChatTemplate() throws Exception {
        assertTrue(Files.size(MODEL) <= 25L << 20, "the default model must stay <= 25 MB: " + Files.size(MODEL));
        try (Llama llama = Llama.load(MODEL)) {
            assertEquals(128, llama.config().dim());
            assertEquals(4, llama.config().layers());
            assertEquals(4096, llama.tokenizer().vocabularySize());
            assertEquals(256, llama.config().contextLength());
            assertEquals(ChatTemplates.LLAMA3, llama.loaded().chatTemplate().orElseThrow());
        }
        assertEquals(DefaultModel.RELATIVE_PATH, ROOT.relativize(DefaultModel.require()).toString());
    }

    @Test
    void generateWithoutModelUsesTheDefault() {
        CliTest.Run r = CliTest.run("generate", "--prompt", "The jury said", "--max-tokens", "12", "--temperature", "0",
                "--format", "json", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("bundled default model"), r.err());
        assertTrue(r.out().contains("\"text\":\"") && !r.out().contains("\"text\":\"\""), r.out());
        assertTrue(r.out().matches("(?s).*\"tokens\":\\[\\d+(,\\d+)*].*"), "tokens generated: " + r.out());
    }

    /** The shipped model is chat fine-tuned: it answers the synthetic chat families it was tuned on (MODEL_CARD.md). */
    @Test
    void chatWithoutModelAnswers() {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream("Hello!\nWho are you?\n/exit\n".getBytes(StandardCharsets.UTF_8)));
            CliTest.Run r = CliTest.run("chat", "--max-tokens", "32", "--temperature", "0", "--threads", "1");
            assertEquals(0, r.code(), r.err());
            assertEquals(List.of("Hello! What would you like to talk about?", "I am llama3j-default, a small demo language model made by llama3j."),
                    r.out().strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList(), r.out());
        } finally {
            System.setIn(old);
        }
    }

    /** MODEL_CARD.md's chat task results ({@code | `chat-…` | … | 0.862 ± 0.046 |}) are what {@code llama3j eval} prints. */
    @Test
    void chatTaskAccuracyInModelCardReproduces() throws Exception {
        Map<String, String> card = new HashMap<>();
        Matcher m = CARD_CHAT_TASK.matcher(Files.readString(CARD, StandardCharsets.UTF_8));
        while (m.find()) {
            card.put(m.group(1), m.group(2));
        }
        assertEquals(5, card.size(), "five chat task rows in MODEL_CARD.md: " + card);
        // the two quick ones (82 greedy replies); the other three take ~30 s and are checked by hand
        CliTest.Run r = CliTest.run("eval", "--task", ROOT.resolve("llama3j-eval/tasks/chat-smalltalk.jsonl").toString(),
                "--task", ROOT.resolve("llama3j-eval/tasks/chat-identity.jsonl").toString());
        assertEquals(0, r.code(), r.err());
        for (String task : List.of("chat-smalltalk", "chat-identity")) {
            Matcher got = Pattern.compile("(?m)^\\| " + task + " \\| generation \\| \\d+ \\| 0 \\| exact_match \\| ([0-9.]+) \\|")
                    .matcher(r.out());
            assertTrue(got.find(), r.out());
            assertEquals(card.get(task), String.format(java.util.Locale.ROOT, "%.3f", Double.parseDouble(got.group(1))), task);
        }
    }

    @Test
    void heldOutPerplexityInModelCardReproduces() throws Exception {
        Matcher m = CARD_PERPLEXITY.matcher(Files.readString(CARD, StandardCharsets.UTF_8));
        assertTrue(m.find(), "MODEL_CARD.md shows a 'perplexity: X' line");
        double card = Double.parseDouble(m.group(1));
        CliTest.Run r = CliTest.run("perplexity", "--file", HELD_OUT.toString(), "--ctx", "256");
        assertEquals(0, r.code(), r.err());
        Matcher got = CARD_PERPLEXITY.matcher(r.out());
        assertTrue(got.find(), r.out());
        // The card's number was printed by this command on the shipped file; kernels may reorder float sums
        // (another thread count, a faster kernel), so allow 1e-4 relative, far below any training change.
        assertEquals(card, Double.parseDouble(got.group(1)), card * 1e-4);
    }

    /** {@code --kv-type f16} (llama.cpp's default cache) is wired: half-precision keys and values move the perplexity only slightly. */
    @Test
    void perplexityWithHalfPrecisionKvCache() throws Exception {
        Matcher m = CARD_PERPLEXITY.matcher(Files.readString(CARD, StandardCharsets.UTF_8));
        assertTrue(m.find());
        double card = Double.parseDouble(m.group(1));
        CliTest.Run r = CliTest.run("perplexity", "--file", HELD_OUT.toString(), "--ctx", "256", "--kv-type", "f16");
        assertEquals(0, r.code(), r.err());
        Matcher got = CARD_PERPLEXITY.matcher(r.out());
        assertTrue(got.find(), r.out());
        assertEquals(card, Double.parseDouble(got.group(1)), card * 1e-3);
        CliTest.Run bad = CliTest.run("perplexity", "--file", HELD_OUT.toString(), "--kv-type", "q4");
        assertEquals(2, bad.code(), bad.err());
    }
}
