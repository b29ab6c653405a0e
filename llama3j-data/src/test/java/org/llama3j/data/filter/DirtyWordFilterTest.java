package org.llama3j.data.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.DataPipelineException;
import org.llama3j.data.Document;
import org.llama3j.data.step.Verdict;

class DirtyWordFilterTest {

    static String reason(DirtyWordFilter f, String text, String lang) {
        Document d = lang == null ? new Document("d", text) : new Document("d", text, Map.of("language", lang));
        return switch (f.process(d)) {
            case Verdict.Keep k -> "keep";
            case Verdict.Remove r -> r.reason();
        };
    }

    @Test
    void anyListedWordRemovesByDefault() {
        var f = new DirtyWordFilter(DirtyWordFilter.Config.DEFAULTS);
        assertEquals("dirty_words", reason(f, "Free PORN here!", null));
        assertEquals("dirty_words", reason(f, "This mentions anal sex explicitly.", null)); // two-word phrase
        assertEquals("keep", reason(f, "Scorn and pornographic-free text about analysis of sexagesimal numbers.", null));
        assertEquals("keep", reason(f, "A perfectly clean sentence.", null));
    }

    @Test
    void thresholdIsAFractionOfWords() {
        var f = new DirtyWordFilter(new DirtyWordFilter.Config(0.2, "language", "en", null, false));
        assertEquals("dirty_words", reason(f, "porn is bad here", null)); // 1/4 = 0.25 > 0.2
        assertEquals("keep", reason(f, "porn is bad here too", null)); // 1/5 = 0.2
    }

    @Test
    void perLanguageListsFromADirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("de.txt"), "schimpfwort\n");
        var f = new DirtyWordFilter(new DirtyWordFilter.Config(0, "language", "en", dir.toString(), false));
        assertEquals("dirty_words", reason(f, "Ein Schimpfwort steht hier.", "de"));
        assertEquals("keep", reason(f, "Ein porn steht hier.", "de")); // the English list does not apply to German
        assertEquals("keep", reason(f, "porn", "xx")); // no list: kept
        var strict = new DirtyWordFilter(new DirtyWordFilter.Config(0, "language", "en", dir.toString(), true));
        assertThrows(DataPipelineException.class, () -> strict.process(new Document("d", "x", Map.of("language", "xx"))));
    }
}
