package org.llama3j.data.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCorpusTest {

    @Test
    void brownLineLosesItsTagsAndGetsEnglishSpacing() {
        // ca01's first sentence, as the package has it (tags after the last slash; `` '' quotes)
        String tagged = "\tThe/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd Friday/nr an/at "
                + "investigation/nn of/in Atlanta's/np$ recent/jj primary/nn election/nn produced/vbd ``/`` no/at "
                + "evidence/nn ''/'' that/cs any/dti irregularities/nns took/vbd place/nn ./.";
        assertEquals("The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election "
                + "produced \"no evidence\" that any irregularities took place.", BrownDetokenizer.sentence(tagged));
        assertEquals("He paid 1/2 (cash); then -- sadly -- left?",
                BrownDetokenizer.sentence("He/pps paid/vbd 1/2/cd (/( cash/nn )/) ;/. then/rb --/-- sadly/rb --/-- left/vbd ?/."));
        assertEquals("", BrownDetokenizer.sentence(" \t "));
    }

    @Test
    void pythonStripRemovesUnicodeSpaceThatStringStripKeeps() {
        assertEquals("a b", PythonStrings.strip("\u00A0\u2028 a b\u3000\u202F\u001F\n"));
        assertEquals("", PythonStrings.strip("\u0085 \u2009"));
        assertEquals("\u200Bx", PythonStrings.strip("\u200Bx")); // zero-width space is not whitespace in Python
    }

    @Test
    void interleavesBrownFilesWithSentenceDocuments(@TempDir Path dir) throws Exception {
        Path brown = Files.createDirectories(dir.resolve("brown"));
        Files.writeString(brown.resolve("cb02"), "\n\n\tA/at cat/nn ./.\n\n\n\tIt/pps sat/vbd ./.\n");
        Files.writeString(brown.resolve("ca01"), "\tThe/at dog/nn ran/vbd !/.\n");
        Files.writeString(brown.resolve("README"), "not a corpus file");
        Path builds = Files.createDirectories(dir.resolve("nlp/builds"));
        Files.writeString(builds.resolve("doc-10.json"), "[\"late\", \"  \"]", StandardCharsets.UTF_8);
        Files.writeString(builds.resolve("doc-2.json"), "[\" s0 \", \"s1 \\\"q\\\" é\", \"s2\"]", StandardCharsets.UTF_8);
        Path out = dir.resolve("out/corpus.jsonl");

        DemoCorpus.Summary s = DemoCorpus.build(brown, dir.resolve("nlp"), out);

        // 2 Brown files, 4 non-empty sentences: 2 per Brown file; doc-2 comes before doc-10 (numeric order)
        assertEquals(List.of(
                "{\"id\":\"brown/ca01\",\"text\":\"The dog ran!\"}",
                "{\"id\":\"nlp-corpus/doc-2/0\",\"text\":\"s0\"}",
                "{\"id\":\"nlp-corpus/doc-2/1\",\"text\":\"s1 \\\"q\\\" é\"}",
                "{\"id\":\"brown/cb02\",\"text\":\"A cat. It sat.\"}",
                "{\"id\":\"nlp-corpus/doc-2/2\",\"text\":\"s2\"}",
                "{\"id\":\"nlp-corpus/doc-10/0\",\"text\":\"late\"}"), Files.readAllLines(out, StandardCharsets.UTF_8));
        assertEquals(2, s.brownDocuments());
        assertEquals(4, s.nlpDocuments());
        assertEquals(Files.size(out), s.bytes());
    }

    @Test
    void namesTheFileThatIsNotASentenceArray(@TempDir Path dir) throws Exception {
        Path brown = Files.createDirectories(dir.resolve("brown"));
        Files.writeString(brown.resolve("ca01"), "\tThe/at dog/nn ./.\n");
        Path builds = Files.createDirectories(dir.resolve("nlp/builds"));
        Files.writeString(builds.resolve("doc-0.json"), "{\"a\": 1}");
        var e = assertThrows(DemoCorpusException.class, () -> DemoCorpus.build(brown, dir.resolve("nlp"), dir.resolve("o.jsonl")));
        assertTrue(e.getMessage().contains("doc-0.json") && e.getMessage().contains("JSON array"), e.getMessage());
        Files.writeString(builds.resolve("doc-0.json"), "[\"ok\", 3]");
        e = assertThrows(DemoCorpusException.class, () -> DemoCorpus.build(brown, dir.resolve("nlp"), dir.resolve("o.jsonl")));
        assertTrue(e.getMessage().contains("element 1"), e.getMessage());
    }

    @Test
    void refusesAnEmptyPackage(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("brown"));
        Files.createDirectories(dir.resolve("nlp/builds"));
        var e = assertThrows(DemoCorpusException.class, () -> DemoCorpus.build(dir.resolve("brown"), dir.resolve("nlp"), dir.resolve("o.jsonl")));
        assertTrue(e.getMessage().contains("0 Brown files"), e.getMessage());
    }
}
