package org.llama3j.eval.scaling;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A validated {@link SweepConfig} with defaults filled in and paths resolved. */
public record Sweep(Path dataDir, Path tokenizer, int seqLen, List<Double> budgets, List<SweepConfig.Shape> shapes,
                    int microBatch, int gradAccumulation, double lr, double warmupFraction, double minLrRatio,
                    double weightDecay, double gradClip, int evalBatches, Optional<Path> task, int threads, long seed,
                    int minSteps, Path out, Path configFile) {

    public int tokensPerStep() {
        return seqLen * microBatch * gradAccumulation;
    }

    static Sweep validate(SweepConfig c, Path base, String source) {
        if (c.data() == null || c.data().dir() == null) {
            throw bad(source, "data.dir is required");
        }
        Path dir = base.resolve(c.data().dir());
        Path tok = c.data().tokenizer() == null ? dir.resolve("tokenizer.model") : base.resolve(c.data().tokenizer());
        int seqLen = positive(c.data().seqLen(), 64, source, "data.seqLen");
        if (c.budgets() == null || c.budgets().size() < 2) {
            throw bad(source, "budgets needs at least 2 FLOP budgets");
        }
        for (Double b : c.budgets()) {
            if (b == null || !(b > 0)) {
                throw bad(source, "budgets must be positive numbers, got " + b);
            }
        }
        if (c.models() == null || c.models().size() < 3) {
            throw bad(source, "models needs at least 3 shapes (a parabola per budget)");
        }
        List<SweepConfig.Shape> shapes = new ArrayList<>();
        for (int i = 0; i < c.models().size(); i++) {
            SweepConfig.Shape s = c.models().get(i);
            String k = "models[" + i + "]";
            int dim = positive(s.dim(), null, source, k + ".dim");
            int heads = positive(s.heads(), null, source, k + ".heads");
            int kv = positive(s.kvHeads(), heads, source, k + ".kvHeads");
            int layers = positive(s.layers(), null, source, k + ".layers");
            int ffn = positive(s.ffnDim(), null, source, k + ".ffnDim");
            if (dim % heads != 0 || heads % kv != 0 || (dim / heads) % 2 != 0) {
                throw bad(source, k + ": heads must divide dim with an even head size, kvHeads must divide heads");
            }
            shapes.add(new SweepConfig.Shape(dim, layers, heads, kv, ffn));
        }
        SweepConfig.Batch b = c.batch() == null ? new SweepConfig.Batch(null, null) : c.batch();
        SweepConfig.Optimizer o = c.optimizer() == null ? new SweepConfig.Optimizer(null, null, null, null, null) : c.optimizer();
        double lr = o.lr() == null ? 3e-3 : o.lr();
        double warm = o.warmupFraction() == null ? 0.05 : o.warmupFraction();
        if (!(lr > 0) || !(warm >= 0 && warm < 1)) {
            throw bad(source, "optimizer.lr must be > 0 and optimizer.warmupFraction in [0, 1)");
        }
        int evalBatches = positive(c.eval() == null ? null : c.eval().batches(), 16, source, "eval.batches");
        Optional<Path> task = Optional.ofNullable(c.task()).map(base::resolve);
        return new Sweep(dir, tok, seqLen, List.copyOf(c.budgets()), List.copyOf(shapes),
                positive(b.microBatch(), 8, source, "batch.microBatch"),
                positive(b.gradAccumulation(), 1, source, "batch.gradAccumulation"), lr, warm,
                o.minLrRatio() == null ? 0.1 : o.minLrRatio(), o.weightDecay() == null ? 0.1 : o.weightDecay(),
                o.gradClip() == null ? 1.0 : o.gradClip(), evalBatches, task,
                positive(c.threads(), 1, source, "threads"), c.seed() == null ? 0 : c.seed(),
                positive(c.minSteps(), 10, source, "minSteps"), base.resolve(c.out() == null ? "sweep" : c.out()),
                base.resolve(Path.of(source).getFileName()));
    }

    private static int positive(Integer v, Integer dflt, String source, String key) {
        if (v == null) {
            if (dflt == null) {
                throw bad(source, key + " is required");
            }
            return dflt;
        }
        if (v <= 0) {
            throw bad(source, key + " must be > 0, got " + v);
        }
        return v;
    }

    private static IllegalArgumentException bad(String source, String message) {
        return new IllegalArgumentException(source + ": " + message);
    }
}
