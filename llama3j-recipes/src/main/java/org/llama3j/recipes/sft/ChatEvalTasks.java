package org.llama3j.recipes.sft;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The chat evaluation tasks of the default model: single user turns of the {@link SyntheticChat} families
 * whose replies code can check, as {@code llama3j eval} {@code generation} items with {@code "chat": true}
 * (the prompt goes through the model's chat template). One file per family:
 * <ul>
 *   <li>{@code chat-smalltalk} (greetings, thanks, goodbyes) and {@code chat-identity}: the reply must be one of
 *       the replies {@code SyntheticChat} gives to that message, exactly;</li>
 *   <li>{@code chat-echo}: the reply must be {@code The word is X.};</li>
 *   <li>{@code chat-arithmetic}: the number after the first {@code =} must be the result (the operands
 *       restated before it are not checked);</li>
 *   <li>{@code chat-yes-no}: the reply's first word must be the right Yes or No (chance 0.5).</li>
 * </ul>
 * The dialogues come from the SFT generator with a seed the build never uses for training or validation
 * ({@link #SEED}); the echo and first-letter words are the topic words of the held-out documents
 * ({@code models/llama3j-default-heldout.txt}, {@link ChatSentences#topicSentence}), so the files can be
 * rebuilt from shipped files alone. The families are small closed sets (one-digit sums, numbers up to 20),
 * so many prompts also occur among the training dialogues: the tasks measure whether the fine-tuning took,
 * not generalisation. Prompts are distinct within a file, in generation order.
 */
public final class ChatEvalTasks {

    /** Far from the build's seeds (training dialogues: seed, validation: seed + 1; the build uses 0). */
    public static final long SEED = 1_000;
    static final int MAX_ITEMS = 100;
    /** Dialogues drawn to find the items; enough for 100 distinct prompts of the rarest family kept at 100. */
    static final int DIALOGS = 20_000;
    static final int MAX_TOKENS = 48;

    /** A task file: its name and the families whose turns it holds. */
    private record Family(String name, Set<SyntheticChat.Kind> kinds) {
    }

    private static final List<Family> FAMILIES = List.of(
            new Family("chat-smalltalk", Set.of(SyntheticChat.Kind.GREETING, SyntheticChat.Kind.THANKS)),
            new Family("chat-identity", Set.of(SyntheticChat.Kind.IDENTITY)),
            new Family("chat-arithmetic", Set.of(SyntheticChat.Kind.ARITHMETIC)),
            new Family("chat-echo", Set.of(SyntheticChat.Kind.ECHO)),
            new Family("chat-yes-no", Set.of(SyntheticChat.Kind.YES_NO)));
    private static final Pattern RESULT = Pattern.compile("=\\s*(-?\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatEvalTasks() {
    }

    /** {@code java -cp … org.llama3j.recipes.sft.ChatEvalTasks HELD_OUT.txt OUT_DIR} */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ChatEvalTasks HELD_OUT.txt OUT_DIR");
            System.exit(2);
        }
        for (Path p : writeAll(Path.of(args[0]), Path.of(args[1]))) {
            System.out.println(p);
        }
    }

    /** Writes the five task files into {@code outDir}; returns them. */
    public static List<Path> writeAll(Path heldOut, Path outDir) throws IOException {
        // heldOutDocuments is a hash set (each document with and without surrounding space): sort and dedupe by text
        Map<String, TopicSentence> words = new TreeMap<>();
        for (String doc : ChatSentences.heldOutDocuments(Files.readString(heldOut, StandardCharsets.UTF_8))) {
            ChatSentences.topicSentence(doc.strip()).ifPresent(s -> words.put(s.text(), s));
        }
        List<SyntheticChat.Dialog> dialogs = new SyntheticChat(List.copyOf(words.values())).generate(DIALOGS, SEED);

        // every reply the generator gives to each user message, per kind
        Map<SyntheticChat.Kind, Map<String, Set<String>>> replies = new EnumMap<>(SyntheticChat.Kind.class);
        for (SyntheticChat.Dialog d : dialogs) {
            for (SyntheticChat.Turn t : d.turns()) {
                replies.computeIfAbsent(t.kind(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(t.user(), u -> new LinkedHashSet<>()).add(t.assistant());
            }
        }
        Files.createDirectories(outDir);
        List<Path> written = new ArrayList<>();
        for (Family f : FAMILIES) {
            StringBuilder sb = new StringBuilder();
            Set<String> prompts = new LinkedHashSet<>();
            for (SyntheticChat.Dialog d : dialogs) {
                for (SyntheticChat.Turn t : d.turns()) {
                    if (f.kinds().contains(t.kind()) && prompts.size() < MAX_ITEMS && prompts.add(t.user())) {
                        Set<String> accepted = replies.get(t.kind()).get(t.user());
                        sb.append(JSON.writeValueAsString(item(prompts.size() - 1, t, accepted))).append('\n');
                    }
                }
            }
            Path file = outDir.resolve(f.name() + ".jsonl");
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
            written.add(file);
        }
        return written;
    }

    private static ObjectNode item(int index, SyntheticChat.Turn t, Set<String> accepted) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "generation");
        n.put("id", t.kind().name().toLowerCase(java.util.Locale.ROOT) + "-" + index);
        n.put("prompt", t.user());
        n.put("chat", true);
        switch (t.kind()) {
            case ARITHMETIC -> {
                var m = RESULT.matcher(t.assistant());
                if (!m.find()) {
                    throw new IllegalStateException("no result in " + t.assistant());
                }
                n.put("regex", RESULT.pattern());
                n.put("target", m.group(1));
            }
            case YES_NO -> {
                n.put("regex", "^\\s*(Yes|No)\\b");
                n.put("target", t.assistant().startsWith("Yes") ? "Yes" : "No");
            }
            case ECHO -> n.put("target", t.assistant());
            default -> n.put("regex", "^\\s*(?:" + String.join("|", accepted.stream().map(Pattern::quote).toList())
                    + ")\\s*$");
        }
        n.put("max_tokens", MAX_TOKENS);
        return n;
    }
}
