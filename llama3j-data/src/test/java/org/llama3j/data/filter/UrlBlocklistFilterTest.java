package org.llama3j.data.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.Document;
import org.llama3j.data.step.Verdict;

class UrlBlocklistFilterTest {

    static String reason(UrlBlocklistFilter f, String url) {
        Document d = url == null ? new Document("d", "t") : new Document("d", "t", Map.of("url", url));
        return switch (f.process(d)) {
            case Verdict.Keep k -> "keep";
            case Verdict.Remove r -> r.reason();
        };
    }

    @Test
    void blocksDomainAndItsSubdomainsOnly(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("block.txt");
        Files.writeString(list, "# adult sites\nbad.example.org\n\nSPAM.net.  # trailing dot and case\n");
        var f = new UrlBlocklistFilter(new UrlBlocklistFilter.Config("url", List.of("example.com"),
                List.of(list.toString()), false));
        assertEquals("blocked_domain", reason(f, "https://example.com/page"));
        assertEquals("blocked_domain", reason(f, "http://www.example.com/"));
        assertEquals("blocked_domain", reason(f, "https://a.b.EXAMPLE.com:8080/x?y=1"));
        assertEquals("keep", reason(f, "https://badexample.com/"));
        assertEquals("keep", reason(f, "https://example.com.au/"));
        assertEquals("blocked_domain", reason(f, "https://x.bad.example.org/"));
        assertEquals("keep", reason(f, "https://good.example.org/"));
        assertEquals("blocked_domain", reason(f, "https://spam.net/"));
        assertEquals("keep", reason(f, null));
        assertEquals("keep", reason(f, "ht tp://broken url"));
        var strict = new UrlBlocklistFilter(new UrlBlocklistFilter.Config("url", List.of("example.com"), List.of(), true));
        assertEquals("invalid_url", reason(strict, "ht tp://broken url"));
    }

    @Test
    void missingListFileIsAClearError(@TempDir Path dir) {
        var e = assertThrows(UncheckedIOException.class, () -> new UrlBlocklistFilter(
                new UrlBlocklistFilter.Config("url", List.of(), List.of(dir.resolve("nope.txt").toString()), false)));
        assertEquals(true, e.getMessage().contains("nope.txt"));
    }
}
