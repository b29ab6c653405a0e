package org.llama3j.posttrain.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded generator of the demonstration's task family: small additions, reversal of short words,
 * metric unit conversions and a fixed answer format. Each instance carries a near-miss wrong answer
 * (off-by-one sums, unreversed or half-reversed words, wrong conversion factors, missing format
 * prefix) used as the rejected reply of preference pairs.
 */
public final class SyntheticTasks {

    private static final String[][] UNITS = {{"km", "m", "1000"}, {"m", "cm", "100"}, {"kg", "g", "1000"},
        {"cm", "mm", "10"}, {"l", "ml", "1000"}};

    private SyntheticTasks() {
    }

    /** {@code n} instances cycling through the four kinds, from {@code seed}. */
    public static List<TaskInstance> generate(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<TaskInstance> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(switch (TaskKind.values()[i % TaskKind.values().length]) {
                case ARITHMETIC -> arithmetic(rnd);
                case REVERSAL -> reversal(rnd);
                case UNIT_CONVERSION -> conversion(rnd);
                case FORMAT -> format(rnd);
            });
        }
        return out;
    }

    /** A random lower-case "word" of 3 to 5 letters, so held-out instances are mostly unseen ones. */
    static String word(SplittableRandom rnd) {
        int n = rnd.nextInt(3, 6);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + rnd.nextInt(26)));
        }
        return sb.toString();
    }

    static TaskInstance arithmetic(SplittableRandom rnd) {
        int a = rnd.nextInt(1, 50);
        int b = rnd.nextInt(1, 50);
        int delta = rnd.nextBoolean() ? rnd.nextInt(1, 4) : -rnd.nextInt(1, 4);
        return new TaskInstance(TaskKind.ARITHMETIC, "What is " + a + " + " + b + "?", Integer.toString(a + b),
                Integer.toString(a + b + delta));
    }

    /**
     * Letters separated by spaces, so each letter is one token and reversing is reordering tokens
     * (a BPE vocabulary would otherwise merge random letter pairs unpredictably).
     */
    static TaskInstance reversal(SplittableRandom rnd) {
        String w = word(rnd);
        String reversed = new StringBuilder(w).reverse().toString();
        String wrong = reversed.equals(w) || rnd.nextBoolean() ? w.substring(1) + w.charAt(0) : w;
        if (wrong.equals(reversed)) {
            wrong = w + w.charAt(0);
        }
        return new TaskInstance(TaskKind.REVERSAL, "Reverse the letters: " + spaced(w), spaced(reversed),
                spaced(wrong));
    }

    static String spaced(String w) {
        return String.join(" ", w.split(""));
    }

    static TaskInstance conversion(SplittableRandom rnd) {
        String[] u = UNITS[rnd.nextInt(UNITS.length)];
        int x = rnd.nextInt(1, 100);
        int factor = Integer.parseInt(u[2]);
        int wrongFactor = factor == 10 ? 100 : factor / 10;
        return new TaskInstance(TaskKind.UNIT_CONVERSION, "Convert " + x + " " + u[0] + " to " + u[1] + ".",
                x * factor + " " + u[1], x * wrongFactor + " " + u[1]);
    }

    static TaskInstance format(SplittableRandom rnd) {
        String w = word(rnd);
        return new TaskInstance(TaskKind.FORMAT, "Answer in the form ANSWER: <word>. The word is " + w + ".",
                "ANSWER: " + w, w);
    }
}
