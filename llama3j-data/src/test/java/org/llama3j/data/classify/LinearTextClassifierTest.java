package org.llama3j.data.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.DataPipelineException;
import org.llama3j.data.Document;
import org.llama3j.data.filter.QualityClassifierFilter;
import org.llama3j.data.step.Verdict;

class LinearTextClassifierTest {

    static final String[] GOOD = ("the history of the river valley shows that early settlers built farms along "
            + "its banks and later developed trade routes which connected the region to distant markets scholars "
            + "describe the period as one of steady growth in population science and culture").split(" ");
    static final String[] BAD = ("click here buy now cheap pills free offer limited deal best price win prize "
            + "casino bonus hot singles subscribe today amazing discount the and of").split(" ");

    static String text(Random r, String[] vocab, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(vocab[r.nextInt(vocab.length)]).append(i % 12 == 11 ? ". " : " ");
        }
        return sb.toString();
    }

    static List<LinearTextClassifier.Example> data(Random r, int perClass) {
        List<LinearTextClassifier.Example> out = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            // each document mixes in 30% words of the other class, so the task is not a vocabulary lookup
            String good = text(r, GOOD, 42) + text(r, BAD, 18);
            String bad = text(r, BAD, 42) + text(r, GOOD, 18);
            out.add(new LinearTextClassifier.Example(good, true));
            out.add(new LinearTextClassifier.Example(bad, false));
        }
        return out;
    }

    @Test
    void learnsToSeparateSyntheticQualityClasses(@TempDir Path dir) throws Exception {
        Random r = new Random(17);
        var model = LinearTextClassifier.train(data(r, 300), LinearTextClassifier.TrainConfig.DEFAULTS);
        int correct = 0;
        List<LinearTextClassifier.Example> test = data(r, 100);
        for (var e : test) {
            correct += (model.score(e.text()) >= 0.5) == e.positive() ? 1 : 0;
        }
        double accuracy = (double) correct / test.size();
        System.out.printf("quality classifier held-out accuracy %.3f%n", accuracy);
        assertTrue(accuracy >= 0.95, "held-out accuracy " + accuracy);

        Path file = dir.resolve("q.bin");
        model.save(file);
        assertEquals(16 + 4 + 4L * (1 << 20), Files.size(file));
        var loaded = LinearTextClassifier.load(file);
        for (var e : test.subList(0, 20)) {
            assertEquals(model.score(e.text()), loaded.score(e.text()), 0.0);
        }
    }

    @Test
    void badModelFilesAreNamed(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.bin");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        var e = assertThrows(DataPipelineException.class, () -> LinearTextClassifier.load(junk));
        assertTrue(e.getMessage().contains("junk.bin") && e.getMessage().contains("bad magic"), e.getMessage());
        Path model = dir.resolve("m.bin");
        LinearTextClassifier.train(List.of(new LinearTextClassifier.Example("a b", true)),
                new LinearTextClassifier.TrainConfig(64, 1, 1, 0.1, 0, 1)).save(model);
        byte[] bytes = Files.readAllBytes(model);
        Path cut = dir.resolve("cut.bin");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        var t = assertThrows(DataPipelineException.class, () -> LinearTextClassifier.load(cut));
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());
    }

    @Test
    void filterAnnotatesRemovesAndShipsWithoutTheModel(@TempDir Path dir) throws Exception {
        Random r = new Random(3);
        Path file = dir.resolve("q.bin");
        LinearTextClassifier.train(data(r, 200), new LinearTextClassifier.TrainConfig(1 << 16, 2, 5, 0.5, 1e-6, 1)).save(file);
        var filter = new QualityClassifierFilter(new QualityClassifierFilter.Config(file.toString(), 0.5, "quality_score"));
        Document good = new Document("g", text(r, GOOD, 60));
        Document bad = new Document("b", text(r, BAD, 60));
        Verdict.Keep k = assertInstanceOf(Verdict.Keep.class, filter.process(good));
        assertTrue((Double) k.document().metadata().get("quality_score") > 0.5);
        assertEquals("low_quality_score", assertInstanceOf(Verdict.Remove.class, filter.process(bad)).reason());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(filter);
        }
        assertTrue(bytes.size() < 10_000, "the model is not serialized with the step: " + bytes.size());
        QualityClassifierFilter copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (QualityClassifierFilter) in.readObject();
        }
        assertEquals(filter.process(good), copy.process(good));
        assertThrows(IllegalArgumentException.class, () -> new QualityClassifierFilter(
                new QualityClassifierFilter.Config(dir.resolve("missing.bin").toString(), 0.5, "q")));
    }
}
