package org.llama3j.data.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.llama3j.data.io.Json;

/** Copies an {@code {id, text}} JSONL file, adding {@code category} and a per-document {@code source}. */
public final class TaggedCorpus {
    private TaggedCorpus() {
    }

    /** @param sourceOfId the {@code source} tag from a document id (e.g. its prefix before '/') */
    public static int tag(Path in, Path out, String category, Function<String, String> sourceOfId) {
        try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8);
             CorpusWriter w = new CorpusWriter(out, category, null)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                JsonNode o = Json.MAPPER.readTree(line);
                if (o == null || !o.path("id").isTextual() || !o.path("text").isTextual()) {
                    throw new DemoCorpusException(in + ":" + n + ": expected {\"id\": string, \"text\": string}");
                }
                String id = o.get("id").asText();
                w.write(id, o.get("text").asText(), Map.of("source", sourceOfId.apply(id)));
            }
            return w.documents();
        } catch (IOException e) {
            throw new DemoCorpusException("cannot tag " + in + ": " + e.getMessage(), e);
        }
    }
}
