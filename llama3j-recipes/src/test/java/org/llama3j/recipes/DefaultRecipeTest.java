package org.llama3j.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.llama3j.train.trainer.RunSettings;
import org.llama3j.train.trainer.TrainerConfigLoader;

class DefaultRecipeTest {

    @Test
    void trainConfigIsTheShippedModel() {
        RunSettings s = TrainerConfigLoader.parse(new DefaultRecipe(DefaultRecipe.DEFAULT_STEPS, 0).trainYaml(),
                Path.of("/w"), "recipe");
        var shape = s.shape(4096);
        assertEquals(128, shape.dim());
        assertEquals(4, shape.nLayers());
        assertEquals(4, shape.nHeads());
        assertEquals(2, shape.nKvHeads());
        assertEquals(384, shape.ffnDim());
        assertEquals(256, s.seqLen());
        assertEquals(2048, s.tokensPerStep());
        assertEquals(700, s.steps());
        assertEquals(30, s.warmupSteps());
        assertEquals(2, s.threads());
        assertEquals(Path.of("/w/shards"), s.dataDir());
        // 1,311,872 parameters: 4096·128 tied embedding + 4 × (2·128 norms + 128·128·2 q/o + 128·64·2 k/v + 3·128·384) + 128
        assertEquals(1_311_872, new org.llama3j.train.model.LlamaParameters(shape).values().length);
    }

    @Test
    void minutesBecomeStepsAtTheAssumedSpeed() {
        assertEquals(500, DefaultRecipe.stepsFor(45));   // 45·60·380 / 2048 = 500.98
        assertEquals(1, DefaultRecipe.stepsFor(0.01));
        assertThrows(IllegalArgumentException.class, () -> DefaultRecipe.stepsFor(0));
        assertEquals(0, new DefaultRecipe(3, 0).warmupSteps());
    }
}
