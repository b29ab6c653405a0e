package org.llama3j.recipes.sft;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.llama3j.chat.Message;

/**
 * Seeded generator of the default model's chat fine-tuning data: short dialogues (1 to 3 user turns)
 * a 1.3M-parameter model trained on English prose can learn to imitate. Every answer is made by code:
 * <ul>
 *   <li>greetings and thanks, with fixed polite replies;</li>
 *   <li>"who are you" questions, answered truthfully: a small demo model made by llama3j;</li>
 *   <li>addition and subtraction of one-digit numbers, answered {@code a + b = c.};</li>
 *   <li>repeating a word, answered {@code The word is X.};</li>
 *   <li>yes/no questions about facts code can check: comparisons and parity of numbers up to 20,
 *       a sum's value, a word's first letter;</li>
 *   <li>"tell me about X": a sentence from the training corpus that contains the word X
 *       ({@link TopicSentence}; held-out documents are excluded by {@link ChatSentences}).</li>
 * </ul>
 * User turns are sometimes lower-cased or lose their final punctuation, as typed chat often does.
 * The same sentences and seed give the same dialogues.
 */
public final class SyntheticChat {

    /** The model's name as it introduces itself. */
    public static final String MODEL_NAME = "llama3j-default";

    public enum Kind { GREETING, THANKS, IDENTITY, ARITHMETIC, ECHO, YES_NO, ABOUT }

    /** One user message and the assistant's reply. */
    public record Turn(Kind kind, String user, String assistant) {
    }

    /** A dialogue: its turns in order. */
    public record Dialog(List<Turn> turns) {
        public Dialog {
            turns = List.copyOf(turns);
        }

        /** user, assistant, user, assistant, … */
        public List<Message> messages() {
            List<Message> m = new ArrayList<>(turns.size() * 2);
            for (Turn t : turns) {
                m.add(Message.user(t.user()));
                m.add(Message.assistant(t.assistant()));
            }
            return m;
        }
    }

    private static final String[] HELLOS = {"Hello!", "Hi!", "Hello.", "Hi there!", "Hey!", "Hello there."};
    private static final String[] HELLO_REPLIES = {"Hello! How can I help you?", "Hi! What can I do for you?",
        "Hello! What would you like to talk about?"};
    private static final String[] THANKS = {"Thank you!", "Thanks.", "Thank you very much."};
    private static final String[] BYES = {"Goodbye!", "Bye!", "See you later."};
    private static final String IDENTITY = "I am " + MODEL_NAME + ", a small demo language model made by llama3j.";
    private static final String[][] IDENTITY_QA = {
        {"Who are you?", IDENTITY},
        {"What is your name?", "My name is " + MODEL_NAME + ". I am a small demo language model made by llama3j."},
        {"What are you?", IDENTITY},
        {"Who made you?", "I was made by llama3j. I am a small demo language model."},
        {"Are you a person?", "No, I am not a person. I am a small demo language model made by llama3j."},
        {"Tell me about yourself.", IDENTITY + " I know little and I often make mistakes."},
    };
    private static final String[] ABOUT_PROMPTS = {"Tell me about %s.", "What can you tell me about %s?",
        "Say something about %s.", "Tell me something about %s."};
    private static final String[] ANY_PROMPTS = {"Tell me something.", "Say a sentence.", "Tell me a story."};

    private final List<TopicSentence> sentences;

    /** @param sentences the free-text answers and their topic words (at least one) */
    public SyntheticChat(List<TopicSentence> sentences) {
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("no sentences for the free-text answers");
        }
        this.sentences = List.copyOf(sentences);
    }

    /** {@code n} dialogues from {@code seed}. */
    public List<Dialog> generate(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Dialog> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(dialog(rnd));
        }
        return out;
    }

    private Dialog dialog(SplittableRandom rnd) {
        List<Turn> turns = new ArrayList<>();
        if (rnd.nextInt(4) == 0) {
            turns.add(greeting(rnd));
        }
        int questions = 1 + rnd.nextInt(turns.isEmpty() ? 3 : 2);
        for (int q = 0; q < questions; q++) {
            turns.add(question(rnd));
        }
        if (rnd.nextInt(6) == 0) {
            turns.add(thanks(rnd));
        }
        return new Dialog(turns.stream().map(t -> casual(t, rnd)).toList());
    }

    /** Weights: the free-text and number questions carry most of what there is to learn. */
    private Turn question(SplittableRandom rnd) {
        int r = rnd.nextInt(20);
        if (r < 2) {
            return identity(rnd);
        } else if (r < 7) {
            return arithmetic(rnd);
        } else if (r < 9) {
            return echo(rnd);
        } else if (r < 13) {
            return yesNo(rnd);
        }
        return about(rnd);
    }

    static Turn greeting(SplittableRandom rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> new Turn(Kind.GREETING, "How are you?", "I am fine, thank you. How can I help you?");
            case 1 -> new Turn(Kind.GREETING, rnd.nextBoolean() ? "Good morning!" : "Good evening!",
                    "Hello! How can I help you?");
            default -> new Turn(Kind.GREETING, pick(HELLOS, rnd), pick(HELLO_REPLIES, rnd));
        };
    }

    static Turn thanks(SplittableRandom rnd) {
        return rnd.nextBoolean() ? new Turn(Kind.THANKS, pick(THANKS, rnd), "You are welcome!")
                : new Turn(Kind.THANKS, pick(BYES, rnd), "Goodbye! Have a nice day.");
    }

    static Turn identity(SplittableRandom rnd) {
        String[] qa = IDENTITY_QA[rnd.nextInt(IDENTITY_QA.length)];
        return new Turn(Kind.IDENTITY, qa[0], qa[1]);
    }

    /** One-digit operands; a difference is never negative. The answer restates the sum, then its value. */
    static Turn arithmetic(SplittableRandom rnd) {
        int a = rnd.nextInt(10);
        int b = rnd.nextInt(10);
        boolean plus = rnd.nextBoolean();
        if (!plus && b > a) {
            int t = a;
            a = b;
            b = t;
        }
        String op = plus ? "+" : "-";
        String word = plus ? "plus" : "minus";
        String q = switch (rnd.nextInt(4)) {
            case 0 -> "What is " + a + " " + op + " " + b + "?";
            case 1 -> "What is " + a + " " + word + " " + b + "?";
            case 2 -> "How much is " + a + " " + op + " " + b + "?";
            default -> a + " " + op + " " + b + " = ?";
        };
        return new Turn(Kind.ARITHMETIC, q, a + " " + op + " " + b + " = " + (plus ? a + b : a - b) + ".");
    }

    private Turn echo(SplittableRandom rnd) {
        String w = topicWord(rnd);
        String q = switch (rnd.nextInt(3)) {
            case 0 -> "Repeat after me: " + w;
            case 1 -> "Say the word " + w + ".";
            default -> "Can you repeat the word " + w + "?";
        };
        // The reply keeps the word after a space, as in the question, so its tokens are the same in both places and
        // copying them is enough; a bare reply "garden" is another token sequence (the Llama 3 pre-tokenizer joins the
        // space to the word). The 1.3M-parameter default model learned neither form (chat-echo 0 of 100 both ways).
        return new Turn(Kind.ECHO, q, "The word is " + w + ".");
    }

    private Turn yesNo(SplittableRandom rnd) {
        int a = rnd.nextInt(21);
        int b = rnd.nextInt(21);
        while (b == a) {
            b = rnd.nextInt(21);
        }
        return switch (rnd.nextInt(5)) {
            case 0 -> new Turn(Kind.YES_NO, "Is " + a + " bigger than " + b + "?",
                    a > b ? "Yes, " + a + " is bigger than " + b + "." : "No, " + a + " is smaller than " + b + ".");
            case 1 -> new Turn(Kind.YES_NO, "Is " + a + " smaller than " + b + "?",
                    a < b ? "Yes, " + a + " is smaller than " + b + "." : "No, " + a + " is bigger than " + b + ".");
            case 2 -> new Turn(Kind.YES_NO, "Is " + a + " an even number?",
                    a % 2 == 0 ? "Yes, " + a + " is even." : "No, " + a + " is odd.");
            case 3 -> {
                int x = rnd.nextInt(10);
                int y = rnd.nextInt(10);
                int claimed = rnd.nextBoolean() ? x + y : x + y + (rnd.nextBoolean() ? 1 : -1) * (1 + rnd.nextInt(3));
                yield new Turn(Kind.YES_NO, "Is " + x + " + " + y + " equal to " + claimed + "?",
                        claimed == x + y ? "Yes, " + x + " + " + y + " = " + claimed + "."
                                : "No, " + x + " + " + y + " = " + (x + y) + ".");
            }
            default -> {
                String w = topicWord(rnd);
                char first = w.charAt(0);
                char asked = rnd.nextBoolean() ? first : (char) ('a' + rnd.nextInt(26));
                yield new Turn(Kind.YES_NO, "Does the word " + w + " start with the letter " + asked + "?",
                        asked == first ? "Yes, " + w + " starts with " + first + "."
                                : "No, " + w + " starts with " + first + ".");
            }
        };
    }

    private Turn about(SplittableRandom rnd) {
        TopicSentence s = sentences.get(rnd.nextInt(sentences.size()));
        String q = rnd.nextInt(5) == 0 ? pick(ANY_PROMPTS, rnd)
                : String.format(Locale.ROOT, pick(ABOUT_PROMPTS, rnd), s.topic());
        return new Turn(Kind.ABOUT, q, s.text());
    }

    private String topicWord(SplittableRandom rnd) {
        return sentences.get(rnd.nextInt(sentences.size())).topic();
    }

    /** A fifth of user turns are lower-cased, a tenth lose their final punctuation (the reply is unchanged). */
    private static Turn casual(Turn t, SplittableRandom rnd) {
        String u = t.user();
        if (rnd.nextInt(5) == 0) {
            u = u.toLowerCase(Locale.ROOT);
        }
        if (rnd.nextInt(10) == 0 && u.length() > 1 && ".!?".indexOf(u.charAt(u.length() - 1)) >= 0) {
            u = u.substring(0, u.length() - 1);
        }
        return new Turn(t.kind(), u, t.assistant());
    }

    private static String pick(String[] options, SplittableRandom rnd) {
        return options[rnd.nextInt(options.length)];
    }
}
