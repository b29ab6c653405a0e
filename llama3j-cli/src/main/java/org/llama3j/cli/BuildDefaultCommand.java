package org.llama3j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.llama3j.tensor.DType;
import org.llama3j.recipes.DefaultModelBuild;
import org.llama3j.recipes.DefaultRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llama3j build-default}: rebuilds the bundled default model from scratch, or fine-tunes a pretrained base (see MODEL_CARD.md). */
@Command(name = "build-default", mixinStandardHelpOptions = true,
        description = "Build llama3j's default model end to end: npm demo corpus, data pipeline, BPE tokenizer, "
                + "token shards, pretraining, chat fine-tuning on synthetic dialogues, GGUF export with the Llama 3 chat "
                + "template, held-out perplexity.")
final class BuildDefaultCommand implements Callable<Integer> {
    @Option(names = "--workdir", defaultValue = "build-default", paramLabel = "DIR",
            description = "Work directory (default: ${DEFAULT-VALUE}); a rerun resumes.")
    Path workDir;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps (default: " + DefaultRecipe.DEFAULT_STEPS
            + ", the shipped model).")
    Integer steps;

    @Option(names = "--minutes", paramLabel = "N", description = "Training budget instead of --steps, converted to steps at "
            + "the recipe's assumed " + (int) DefaultRecipe.ASSUMED_TOKENS_PER_SECOND + " tokens/s (not measured, so the result stays deterministic).")
    Double minutes;

    @Option(names = "--stop-at", paramLabel = "STEP", description = "Stop training at this step, keeping the schedule of --steps "
            + "(the shipped model stopped early to meet a deadline; see MODEL_CARD.md).")
    Integer stopAt;

    @Option(names = "--sft-steps", paramLabel = "N", description = "Chat fine-tuning steps (default: "
            + DefaultRecipe.SFT_STEPS + ").")
    Integer sftSteps;

    @Option(names = "--from-base", paramLabel = "FILE", description = "Skip tokenizer, shards and pretraining: fine-tune "
            + "this pretrained GGUF (how the shipped model was made from its pretrained base; see MODEL_CARD.md). Needs --held-out.")
    Path fromBase;

    @Option(names = "--held-out", paramLabel = "FILE", description = "With --from-base: the base's held-out text "
            + "(excluded from the fine-tuning data, scored for perplexity).")
    Path heldOut;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--type", defaultValue = "F32", paramLabel = "TYPE", description = "F32, BF16 or Q8_0 (default: ${DEFAULT-VALUE}).")
    String type;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        if (steps != null && minutes != null) {
            throw new UserException("give --steps or --minutes, not both");
        }
        if (steps != null && steps < 1) {
            throw new UserException("--steps must be >= 1, got " + steps);
        }
        if (minutes != null && !(minutes > 0)) {
            throw new UserException("--minutes must be > 0, got " + minutes);
        }
        if (sftSteps != null && sftSteps < 1) {
            throw new UserException("--sft-steps must be >= 1, got " + sftSteps);
        }
        int sft = sftSteps == null ? DefaultRecipe.SFT_STEPS : sftSteps;
        if ((fromBase == null) != (heldOut == null)) {
            throw new UserException("--from-base and --held-out go together");
        }
        if (fromBase != null && (steps != null || minutes != null || stopAt != null)) {
            throw new UserException("--from-base skips pretraining: --steps, --minutes and --stop-at do not apply");
        }
        for (Path p : new Path[] {fromBase, heldOut}) {
            if (p != null && !Files.isRegularFile(p)) {
                throw new UserException("no such file: " + p);
            }
        }
        int n = steps != null ? steps : minutes != null ? DefaultRecipe.stepsFor(minutes) : DefaultRecipe.DEFAULT_STEPS;
        int stop = stopAt == null ? n : stopAt;
        if (stop < 1 || stop > n) {
            throw new UserException("--stop-at must be in [1, " + n + "], got " + stop);
        }
        DType t = switch (type.toUpperCase()) {
            case "F32" -> DType.F32;
            case "BF16" -> DType.BF16;
            case "Q8_0" -> DType.Q8_0;
            default -> throw new UserException("--type must be F32, BF16 or Q8_0; got '" + type + "'");
        };
        DefaultModelBuild.Options options = fromBase != null
                ? DefaultModelBuild.Options.fromBase(workDir, new DefaultModelBuild.Base(fromBase, heldOut), seed, t, sft)
                : new DefaultModelBuild.Options(workDir, n, stop, seed, t, sft, Optional.empty());
        DefaultModelBuild.Result r = DefaultModelBuild.run(options, System.err);
        System.err.printf("llama3j: wrote %s (%d parameters, %s + %d SFT steps, held-out perplexity %.4f); "
                + "copy it to models/%s.gguf to make it the default%n", r.gguf(), r.parameters(),
                r.training() == null ? "base " + fromBase : r.training().finalStep() + " pretraining steps", r.sft().steps(),
                r.heldOutPerplexity(), DefaultModelBuild.MODEL_NAME);
        return 0;
    }
}
