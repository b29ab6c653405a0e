package org.llama3j.recipes.sft;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.llama3j.train.data.CorpusReader;

/**
 * Picks the free-text answers of {@link SyntheticChat} from the filtered training corpus: plain one-line
 * sentences a small model can imitate, never a held-out document (the perplexity and evaluation text must
 * stay unseen).
 *
 * <p>A sentence qualifies when it is 6 to 16 words of ASCII letters, spaces, commas and apostrophes,
 * starts with a capital and ends with a lower-case letter and a full stop (no digits, quotes or
 * markup), and has a topic: its longest word of at least 5 lower-case letters that is not a function
 * word. Duplicates are dropped; the order is the corpus order.
 */
public final class ChatSentences {

    private static final Pattern PLAIN = Pattern.compile("[A-Z][A-Za-z ,']*[a-z]\\.");
    private static final Pattern WORD = Pattern.compile("[a-z]{5,}");
    private static final Set<String> FUNCTION_WORDS = Set.of("about", "after", "again", "against", "because", "before",
            "being", "below", "between", "could", "would", "should", "their", "there", "these", "those", "which",
            "while", "where", "other", "under", "until", "through", "during", "without", "within", "another", "every",
            "never", "always", "something", "anything", "nothing", "everything", "really", "little", "still");
    static final int MIN_WORDS = 6;
    static final int MAX_WORDS = 16;
    /** About 150 tokens of English at the default tokenizer's 4 characters per token: fits a 256-token context. */
    static final int MAX_REPLAY_CHARS = 600;

    private ChatSentences() {
    }

    /** The qualifying sentences of the corpus files (JSONL with {@code "text"}), minus {@code heldOut}. */
    public static List<TopicSentence> select(List<Path> corpus, Set<String> heldOut) throws IOException {
        Set<String> seen = new LinkedHashSet<>();
        List<TopicSentence> out = new ArrayList<>();
        for (Path file : corpus) {
            CorpusReader.documents(file, null, text -> {
                String s = text.strip();
                if (heldOut.contains(text) || heldOut.contains(s) || !seen.add(s)) {
                    return;
                }
                topicSentence(s).ifPresent(out::add);
            });
        }
        return out;
    }

    /**
     * {@code count} documents of the corpus for replay during fine-tuning: documents of at most
     * {@link #MAX_REPLAY_CHARS} characters (so most fit the context with their framing), never a held-out one,
     * drawn without replacement by a seeded shuffle of their corpus order.
     */
    public static List<String> replayDocuments(List<Path> corpus, Set<String> heldOut, int count, long seed)
            throws IOException {
        List<String> docs = new ArrayList<>();
        for (Path file : corpus) {
            CorpusReader.documents(file, null, text -> {
                String s = text.strip();
                if (!s.isEmpty() && s.length() <= MAX_REPLAY_CHARS && !heldOut.contains(text) && !heldOut.contains(s)) {
                    docs.add(s);
                }
            });
        }
        java.util.Collections.shuffle(docs, new java.util.Random(seed));
        return List.copyOf(docs.subList(0, Math.min(count, docs.size())));
    }

    /** {@code text} as a free-text answer, if it qualifies. */
    static Optional<TopicSentence> topicSentence(String text) {
        if (!PLAIN.matcher(text).matches()) {
            return Optional.empty();
        }
        String[] words = text.substring(0, text.length() - 1).split("[ ,]+");
        if (words.length < MIN_WORDS || words.length > MAX_WORDS) {
            return Optional.empty();
        }
        String topic = null;
        for (String w : words) {
            if (WORD.matcher(w).matches() && !FUNCTION_WORDS.contains(w) && (topic == null || w.length() > topic.length())) {
                topic = w;
            }
        }
        return topic == null ? Optional.empty() : Optional.of(new TopicSentence(topic, text));
    }

    /** The documents of a held-out text ({@code HeldOutText}: documents separated by a blank line). */
    public static Set<String> heldOutDocuments(String heldOutText) {
        Set<String> docs = new java.util.HashSet<>();
        for (String d : heldOutText.split("\n\n")) {
            docs.add(d);
            docs.add(d.strip());
        }
        return docs;
    }
}
