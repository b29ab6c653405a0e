package org.llama3j.data.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.llama3j.data.Document;
import org.llama3j.data.step.Verdict;

class FineWebQualityFilterTest {

    private static final FineWebQualityFilter FW = new FineWebQualityFilter(FineWebQualityFilter.Config.DEFAULTS);

    static String reason(String text) {
        return switch (FW.process(new Document("d", text))) {
            case Verdict.Keep k -> "keep";
            case Verdict.Remove r -> r.reason();
        };
    }

    static String line(char c, int letters, String end) {
        return String.valueOf(c).repeat(letters) + end;
    }

    @Test
    void linePunctuationRatio() {
        // 1 of 10 lines ends with a stop char: 0.1 <= 0.12
        StringBuilder sb = new StringBuilder(line('a', 40, "."));
        for (int i = 0; i < 9; i++) {
            sb.append('\n').append("word word word word word word word ").append(i);
        }
        assertEquals("line_punct_ratio", reason(sb.toString()));
    }

    @Test
    void shortLineRatio() {
        // 3 of 4 lines have <= 30 chars: 0.75 >= 0.67
        String text = "Short line one here.\nShort line two here.\nShort line three here.\n"
                + "This line is clearly longer than thirty characters.";
        assertEquals("short_line_ratio", reason(text));
    }

    @Test
    void duplicatedLineCharRatio() {
        String a = "The first line is long enough to count here.";
        String b = "The second line is also long enough to count.";
        // the repeat of a: 44 chars of 44 + 46 + 44 = 134 non-newline chars = 0.33 >= 0.1
        assertEquals("char_dup_ratio", reason(a + "\n" + b + "\n" + a));
        assertEquals("keep", reason(a + "\n" + b));
    }

    @Test
    void newlinesPerWord() {
        // 4 lines of one 34-letter word plus ".": 8 tokens, 3 newlines: 0.375 > 0.3
        String text = String.join("\n", line('a', 34, "."), line('b', 34, "."), line('c', 34, "."), line('d', 34, "."));
        assertEquals("list_ratio", reason(text));
        // two words per line: 12 tokens, 3 newlines: 0.25
        String ok = String.join("\n", line('a', 20, " ") + line('e', 13, "."), line('b', 20, " ") + line('f', 13, "."),
                line('c', 20, " ") + line('g', 13, "."), line('d', 20, " ") + line('h', 13, "."));
        assertEquals("keep", reason(ok));
    }

    @Test
    void ordinaryParagraphIsKept() {
        assertEquals("keep", reason(String.join(" ", Collections.nCopies(3,
                "A paragraph of running text that ends with a period."))));
    }
}
