package org.llama3j.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrainerConfigLoaderTest {

    private static final String GOOD = """
            model: {dim: 64, layers: 2, heads: 8, kvHeads: 2, ffnDim: 128}
            data: {dir: shards, seqLen: 8192}
            optimizer: {lr: 1.0e-3}
            steps: 10
            """;

    private static String error(String yaml) {
        return assertThrows(TrainerConfigException.class,
                () -> TrainerConfigLoader.parse(yaml, Path.of("/base"), "run.yaml")).getMessage();
    }

    @Test
    void defaultsAndPaths() {
        RunSettings s = TrainerConfigLoader.parse(GOOD, Path.of("/base"), "run.yaml");
        assertEquals(Path.of("/base/shards"), s.dataDir());
        assertEquals(Path.of("/base/shards/tokenizer.model"), s.tokenizer());
        assertEquals(Path.of("/base/run/checkpoints"), s.checkpointDir());
        assertEquals(0.95f, s.adamW().beta2());
        assertEquals(0.1f, s.adamW().weightDecay());
        assertEquals(1.0, s.gradClip());
        assertEquals(8192, s.shape(1000).maxSeqLen());
        assertEquals(1000, s.shape(1000).vocabSize());
    }

    @Test
    void unknownKeyIsNamed() {
        String m = error(GOOD.replace("ffnDim: 128", "ffnDim: 128, hiddn: 3"));
        assertTrue(m.contains("unknown key 'model.hiddn'"), m);
        assertTrue(m.startsWith("run.yaml"), m);
        m = error(GOOD + "learning_rate: 3\n");
        assertTrue(m.contains("unknown key 'learning_rate'"), m);
    }

    @Test
    void impossibleShapesNameTheKeys() {
        assertTrue(error(GOOD.replace("heads: 8", "heads: 6")).contains("model.heads (6) does not divide model.dim (64)"));
        assertTrue(error(GOOD.replace("kvHeads: 2", "kvHeads: 3")).contains("model.kvHeads (3) does not divide model.heads (8)"));
        assertTrue(error(GOOD.replace("heads: 8", "heads: 64")).contains("must be even"));
        assertTrue(error(GOOD.replace("layers: 2", "layers: 0")).contains("model.layers must be > 0, got 0"));
        assertTrue(error(GOOD.replace("steps: 10", "")).contains("missing required key 'steps'"));
        assertTrue(error(GOOD.replace("lr: 1.0e-3", "lr: fast")).contains("'optimizer.lr'"));
        assertTrue(error(GOOD.replace("{lr: 1.0e-3}", "{lr: 1.0e-3, warmupSteps: 10}"))
                .contains("optimizer.warmupSteps must be in [0, steps)"));
    }
}
