package org.llama3j.data.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.llama3j.data.Document;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.Verdict;

/**
 * Pins the decisions of the heuristic filters (Gopher quality, Gopher repetition, C4, FineWeb) on a seeded corpus
 * that exercises every rule (bullets, ellipses, hashes, citations, lorem ipsum, javascript, braces, policy lines,
 * over-long words, repeated lines/paragraphs/n-grams, non-breaking spaces, CR LF, non-Latin scripts, empty
 * documents). The expected reason counts and the digest of every verdict (and of C4's rewritten text) were
 * recorded from the filters before their speed-ups (shared tokenization, primitive hash sets, no regex on the hot
 * path): any change of a decision fails this test.
 */
class HeuristicDecisionsGoldenTest {

    private static final String[] WORDS = ("the of and to that with have be river mountain village library garden "
            + "teacher student market history science summer winter morning evening window kitchen bridge harbor "
            + "journey lantern orchard meadow co-op don't e-mail naïve straße café Ωmega москва 東京 a I x").split(" ");
    private static final String[] SYMBOLS = ("42 3.14 $5 50% (note) \"quoted\" 'single' #tag @user ... … — - • & * "
            + "-- ## ©").split(" ");

    private static final String[] SPECIAL = {
        "- a bullet item", "• another bullet", "and then it trailed off...", "and so on…", "#hash #tags #everywhere",
        "See the reference [1] for details.", "Edit this section [edit].", "A claim [citation needed] was made.",
        "Lorem ipsum dolor sit amet, consectetur.", "Please enable JavaScript to view this page.",
        "function f() { return 1; }", "Read our privacy policy and terms of use.", "This site uses cookies.",
        "Short.", "no terminal punctuation here", "He said \"yes.\"", "It's 'quoted.'", "Really?!", "Wow!",
        "", "   ", "\u00a0indented with nbsp.", "tab\tseparated\twords here.", "Ω ω Ω ω Ω ω.",
        "Москва is a city in Russia and the capital.", "東京は日本の首都です。", "1 2 3 4 5 6 7 8 9 10.",
        "... ... ... ... ...", "!!! ??? ...", "a.b.c. d.e.f. g.h.i."
    };

    private static final List<DocumentStep> FILTERS = List.of(
            new GopherQualityFilter(GopherQualityFilter.Config.DEFAULTS),
            new GopherRepetitionFilter(GopherRepetitionFilter.Config.DEFAULTS),
            new C4QualityFilter(C4QualityFilter.Config.DEFAULTS),
            new FineWebQualityFilter(FineWebQualityFilter.Config.DEFAULTS));

    static List<Document> corpus(int n, long seed) {
        Random r = new Random(seed);
        List<Document> docs = new ArrayList<>();
        List<String> seenLines = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            StringBuilder sb = new StringBuilder();
            int lines = r.nextInt(10) == 0 ? r.nextInt(3) : 1 + r.nextInt(40);
            double noise = NOISE[r.nextInt(NOISE.length)];
            int style = r.nextInt(16); // 0-4: whole-page patterns that single rules look for; else ordinary
            String phrase = sentence(r, 3 + r.nextInt(8), noise);
            for (int l = 0; l < lines; l++) {
                int kind = r.nextDouble() < noise ? 9 + r.nextInt(11) : r.nextInt(9);
                String line;
                if (kind < 9) {
                    line = sentence(r, 4 + r.nextInt(20), noise) + (r.nextInt(6) == 0 ? "" : ".");
                } else if (kind < 12) {
                    line = SPECIAL[r.nextInt(SPECIAL.length)];
                } else if (kind < 14 && !seenLines.isEmpty()) {
                    line = seenLines.get(r.nextInt(seenLines.size())); // a repeated line
                } else if (kind < 16) {
                    line = (phrase + " ").repeat(1 + r.nextInt(4)).strip() + "."; // repeated n-grams
                } else if (kind == 16 && r.nextInt(4) == 0) {
                    line = "x".repeat(990 + r.nextInt(20)) + " long word.";
                } else if (kind == 17) {
                    line = sentence(r, 2 + r.nextInt(3), noise);
                } else {
                    line = sentence(r, 8 + r.nextInt(8), noise) + (r.nextBoolean() ? "!" : "?");
                }
                line = switch (style) {
                    case 0 -> (r.nextBoolean() ? "- " : "\u2022 ") + line; // bullet list
                    case 1 -> line + (r.nextBoolean() ? "..." : "\u2026"); // trailing ellipses
                    case 2 -> line.replaceAll("\\b(the|of|and|to|that|with|have|be)\\b", "stone"); // no stop words
                    case 3 -> line.replaceAll("\\p{L}{3,}", "ox"); // short words
                    case 4 -> line.replace(' ', '\n'); // one word per line
                    default -> line;
                };
                if (seenLines.size() < 500 && !line.isBlank()) {
                    seenLines.add(line);
                }
                sb.append(line);
                int sep = r.nextInt(12);
                sb.append(sep == 0 ? "\n\n" : sep == 1 ? "\r\n" : sep == 2 ? " " : "\n");
            }
            String text = r.nextInt(8) == 0 ? sb.toString() : sb.toString().strip();
            if (r.nextInt(15) == 0 && text.length() > 20) { // a repeated paragraph
                text = text + "\n\n" + text.substring(0, text.length() / 2);
            }
            docs.add(new Document("d" + d, text));
        }
        return docs;
    }

    /** Per-document probability of a special line and of a symbol word: clean, slightly and very noisy pages. */
    private static final double[] NOISE = {0, 0, 0.03, 0.1, 0.3};

    private static String sentence(Random r, int words, double noise) {
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                sb.append(r.nextInt(30) == 0 ? "\u00a0" : r.nextInt(40) == 0 ? "  " : " ");
            }
            String word = r.nextDouble() < noise ? SYMBOLS[r.nextInt(SYMBOLS.length)] : WORDS[r.nextInt(WORDS.length)];
            sb.append(w == 0 && Character.isLowerCase(word.charAt(0)) ? Character.toUpperCase(word.charAt(0))
                    + word.substring(1) : word);
        }
        return sb.toString();
    }

    /** Per filter: reason counts (and "keep"), plus a digest of every document's verdict and kept text. */
    static Map<String, Object> decisions(List<Document> docs) throws Exception {
        Map<String, Object> out = new TreeMap<>();
        for (DocumentStep f : FILTERS) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            Map<String, Integer> counts = new TreeMap<>();
            for (Document d : docs) {
                String v = switch (f.process(d)) {
                    case Verdict.Keep k -> "keep\u0000" + k.document().text();
                    case Verdict.Remove rm -> rm.reason();
                };
                counts.merge(v.startsWith("keep\u0000") ? "keep" : v, 1, Integer::sum);
                md.update((d.id() + "\u0001" + v + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.put(f.name(), counts.toString());
            out.put(f.name() + ".sha256", HexFormat.of().formatHex(md.digest()).substring(0, 16));
        }
        return out;
    }

    @Test
    void decisionsOnGeneratedCorpusAreUnchanged() throws Exception {
        Map<String, Object> got = decisions(corpus(3000, 20261207L));
        Map<String, Object> expected = new TreeMap<>();
        expected.put("c4_quality", "{curly_bracket=1, keep=2051, lorem_ipsum=31, too_few_sentences=917}");
        expected.put("c4_quality.sha256", "ca6597623fae11e7");
        expected.put("fineweb_quality", "{char_dup_ratio=153, keep=2501, line_punct_ratio=319, short_line_ratio=27}");
        expected.put("fineweb_quality.sha256", "600edf802389d6ac");
        expected.put("gopher_quality", "{gopher_above_avg_threshold=27, gopher_below_alpha_threshold=407, "
                + "gopher_below_avg_threshold=137, gopher_enough_stop_words=101, gopher_short_doc=526, "
                + "gopher_too_many_bullets=100, gopher_too_many_ellipsis=5, gopher_too_many_end_ellipsis=157, "
                + "gopher_too_many_hashes=1, keep=1539}");
        expected.put("gopher_quality.sha256", "45e8bd65cc59f041");
        expected.put("gopher_repetition", "{dup_line_char_frac=43, dup_line_frac=185, dup_para_char_frac=39, "
                + "dup_para_frac=30, duplicated_10_n_grams=5, duplicated_5_n_grams=21, duplicated_6_n_grams=4, "
                + "duplicated_7_n_grams=2, duplicated_8_n_grams=1, duplicated_9_n_grams=4, keep=2295, top_2_gram=219, "
                + "top_3_gram=67, top_4_gram=85}");
        expected.put("gopher_repetition.sha256", "e2a7583053e82d51");
        assertEquals(expected, got);
    }
}
