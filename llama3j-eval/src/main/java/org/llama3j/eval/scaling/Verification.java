package org.llama3j.eval.scaling;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.llama3j.eval.harness.Task;
import org.llama3j.eval.harness.TaskFile;

/**
 * {@code scaling predict --verify}: trains the predicted run — the shape whose N is nearest N* (the
 * nearest sweep shape widened or narrowed by whole heads: same layers, head size and FFN ratio) for
 * the tokens the budget buys — and compares its loss and accuracy with the prediction.
 */
public final class Verification {

    /** The trained run and the relative errors (predicted − measured) / measured. */
    public record Result(RunRecord run, double lossError, double accuracyError) {
    }

    private Verification() {
    }

    public static Result run(Sweep sweep, Prediction p, PrintStream log) throws IOException {
        int vocab = SweepRunner.vocabSize(sweep.dataDir());
        ModelSize size = nearestShape(sweep.shapes(), vocab, sweep.seqLen(), p.estimate().parameters());
        int steps = SweepRun.steps(sweep, size, p.budget());
        if (steps == 0) {
            throw new IllegalArgumentException("budget " + p.budget() + " buys fewer than minSteps steps for " + size);
        }
        String name = String.format("verify-C%.2e-%s", p.budget(), size.label());
        log.printf("llama3j: verifying with %s: N=%,d (predicted N* %,.0f), %d steps%n", name, size.parameters(),
                p.estimate().parameters(), steps);
        Optional<Task> task = sweep.task().isPresent() ? Optional.of(TaskFile.read(sweep.task().get())) : Optional.empty();
        RunRecord r = SweepRun.train(sweep, size, p.budget(), steps, task, sweep.out().resolve("runs").resolve(name), log);
        double lossErr = (p.estimate().loss() - r.valLoss()) / r.valLoss();
        double accErr = r.hasTask() ? (p.estimate().accuracy() - r.taskAcc()) / r.taskAcc() : Double.NaN;
        return new Result(r, lossErr, accErr);
    }

    /**
     * The shape with parameters nearest {@code target} in log space among the widenings and narrowings
     * (by whole heads) of the sweep shape whose own size is nearest the target — so a prediction
     * beyond the grid extends the largest shape, keeping its head size, layers and FFN ratio.
     */
    static ModelSize nearestShape(List<SweepConfig.Shape> shapes, int vocab, int seqLen, double target) {
        SweepConfig.Shape template = shapes.stream()
                .min(Comparator.comparingDouble((SweepConfig.Shape s) ->
                        Math.abs(Math.log(SweepRun.size(s, vocab, seqLen).parameters() / target))))
                .orElseThrow();
        List<ModelSize> candidates = new ArrayList<>();
        for (SweepConfig.Shape s : List.of(template)) {
            int headDim = s.dim() / s.heads();
            int group = s.heads() / s.kvHeads();
            double ffnRatio = s.ffnDim() / (double) s.dim();
            for (int heads = 1; heads <= 64; heads++) {
                int kv = heads % group == 0 ? heads / group : 1;
                int dim = heads * headDim;
                candidates.add(new ModelSize(dim, s.layers(), heads, kv, Math.max(1, (int) Math.round(dim * ffnRatio)),
                        vocab, seqLen));
            }
        }
        return candidates.stream()
                .min(Comparator.comparingDouble((ModelSize m) -> Math.abs(Math.log(m.parameters() / target)))
                        .thenComparingInt(ModelSize::dim))
                .orElseThrow();
    }
}
