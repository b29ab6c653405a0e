package org.llama3j.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llama3j.posttrain.data.MalformedDatasetException;
import org.llama3j.posttrain.recipe.Recipe;
import org.llama3j.posttrain.recipe.RecipeException;
import org.llama3j.posttrain.recipe.RecipeLoader;
import org.llama3j.posttrain.recipe.RecipeRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llama3j finetune}: post-training (SFT, reward model, rejection sampling, DPO, PPO) from a YAML recipe. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Post-train a model from a YAML recipe (sft, reward, rejection-sampling, dpo, ppo).")
final class FinetuneCommand implements Callable<Integer> {
    @Option(names = "--recipe", required = true, paramLabel = "FILE.yaml", description = "Post-training recipe.")
    Path recipe;

    @Option(names = "--resume", description = "Continue from the newest intact checkpoint in the recipe's out dir.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        try {
            Recipe r = RecipeLoader.load(recipe);
            Map<String, Double> result = RecipeRunner.run(r, resume, line -> System.err.println("llama3j: " + line));
            System.out.println(r.method().key() + " finished: " + result);
            return 0;
        } catch (RecipeException | MalformedDatasetException e) {
            throw new UserException(e.getMessage());
        }
    }
}
