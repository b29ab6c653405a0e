package org.llama3j.data.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.Document;
import org.llama3j.data.embed.LlamaEmbedder;
import org.llama3j.data.embed.TextEmbedder;
import org.llama3j.data.step.Keyed;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.model.ModelShape;
import org.llama3j.model.RandomModelWriter;
import org.llama3j.tensor.DType;

class SemanticDedupTest {

    /** Bag of words hashed into 64 dimensions: cosine is then a word-overlap measure, easy to reason about. */
    static final TextEmbedder WORDS = text -> {
        float[] v = new float[64];
        for (String w : text.toLowerCase().split("\\W+")) {
            if (!w.isEmpty()) {
                v[Math.floorMod(w.hashCode(), 64)] += 1;
            }
        }
        return TextEmbedder.normalize(v);
    };

    static Map<Long, String> dedup(SemanticDeduplicator d, List<Document> docs) {
        List<Keyed<SemanticDeduplicator.Signature>> sigs = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            sigs.add(new Keyed<>(Keyed.key(0, i), d.signature(docs.get(i))));
        }
        return d.decide(sigs.stream()).removed();
    }

    @Test
    void removesLaterParaphrasesWithinClustersAndKeepsDistinctTexts() {
        String a = "the quick brown fox jumps over the lazy dog near the river bank every morning";
        String b = "stock markets fell sharply today as investors worried about rising interest rates";
        String c = "bake the bread at two hundred degrees for forty minutes until the crust is golden";
        List<Document> docs = List.of(new Document("a", a), new Document("b", b), new Document("c", c),
                new Document("a2", a.replace("morning", "evening")), new Document("b2", b + " again"),
                new Document("d", "quantum chromodynamics describes the strong interaction between quarks and gluons"));
        SemanticDeduplicator d = new SemanticDeduplicator(new SemanticDeduplicator.Config(null, 64, 2, 10, 0.9, 1), WORDS);
        Map<Long, String> removed = dedup(d, docs);
        assertEquals(Map.of(Keyed.key(0, 3), "semantic duplicate of a", Keyed.key(0, 4), "semantic duplicate of b"), removed);
        // a vs a2 (one of 15 words changed, 'the' x3): cosine 20/21 = 0.952 barring hash collisions; 0.99 keeps it
        SemanticDeduplicator strict = new SemanticDeduplicator(new SemanticDeduplicator.Config(null, 64, 2, 10, 0.99, 1), WORDS);
        assertEquals(Map.of(), dedup(strict, docs));
    }

    @Test
    void sphericalKMeansSeparatesTwoDirectionsDeterministically() {
        List<float[]> pts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            float e = i * 0.01f;
            pts.add(TextEmbedder.normalize(i % 2 == 0 ? new float[] {1, e, 0} : new float[] {0, e, 1}));
        }
        int[] l1 = SphericalKMeans.assign(pts, 2, 10, 7);
        assertArrayEquals(l1, SphericalKMeans.assign(pts, 2, 10, 7));
        for (int i = 2; i < 20; i++) {
            assertEquals(l1[i % 2], l1[i], "point " + i);
        }
        assertTrue(l1[0] != l1[1]);
    }

    /** Embeddings from a random llama3j model: unit length, model-sized, deterministic, identical for identical text. */
    @Test
    void llamaEmbedderMeanPoolsFinalHiddenStates(@TempDir Path dir) throws Exception {
        Path vocab = Path.of("../llama3j-core/src/test/resources/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf");
        Path model = dir.resolve("m.gguf");
        try (GgufFile v = GgufReader.open(vocab)) {
            RandomModelWriter.write(model, new ModelShape(32, 1, 4, 2, 64, 64, 500000f, 1e-5f, null, false), v, DType.F32, 9);
        }
        LlamaEmbedder e = new LlamaEmbedder(model.toString(), 32);
        float[] x = e.embed("The river runs through the quiet village.");
        float[] y = e.embed("The river runs through the quiet village.");
        float[] z = e.embed("Interest rates rose again, markets fell.");
        assertEquals(32, x.length);
        assertEquals(1.0, SphericalKMeans.dot(x, x), 1e-5);
        assertArrayEquals(x, y);
        assertTrue(SphericalKMeans.dot(x, z) < 0.9999, "different texts differ: " + SphericalKMeans.dot(x, z));
        SemanticDeduplicator d = new SemanticDeduplicator(new SemanticDeduplicator.Config(model.toString(), 32, 0, 10, 0.999, 1));
        Map<Long, String> removed = dedup(d, List.of(new Document("1", "The river runs through the quiet village."),
                new Document("2", "Interest rates rose again, markets fell."),
                new Document("3", "The river runs through the quiet village.")));
        assertEquals(Map.of(Keyed.key(0, 2), "semantic duplicate of 1"), removed);
    }
}
