package org.llama3j.posttrain.run;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.llama3j.posttrain.model.ScalarHead;
import org.llama3j.posttrain.model.TrainingTarget;
import org.llama3j.train.checkpoint.CheckpointStore;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.data.LoaderPosition;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.TrainableParameters;
import org.llama3j.train.optim.AdamW;
import org.llama3j.train.optim.WarmupCosineSchedule;
import org.llama3j.train.trainer.LossCurvePlot;

/**
 * The optimizer loop every post-training method shares: zero gradients → the method's
 * forward/backward ({@link StepBody}) → global-norm clipping over the trained weights and head →
 * scheduled lr → AdamW (the {@link TrainingTarget}'s trainable weights: the whole backbone, or a
 * LoRA adapter) and Adam (head). Logs each step to {@code log.jsonl} and a progress line,
 * checkpoints as pretraining does ({@link CheckpointStore}: atomic, keep-K; a scalar head goes in a
 * {@code head-<step>.bin} beside it, written first), resumes from the newest valid checkpoint, draws
 * {@code loss.png} and writes the final result (the target's: {@code model.l3jc}, or {@code adapter/})
 * and {@code head.bin} atomically.
 *
 * <p>A method's data order must be a function of the step number only, so a resumed run sees the
 * same batches as an uninterrupted one.
 */
public final class PostTrainRun {

    /** One step's forward/backward; adds gradients and returns metrics, {@code loss} first. */
    @FunctionalInterface
    public interface StepBody {
        Map<String, Double> run(int step);
    }

    /** Evaluation metrics at a step (no gradients). */
    @FunctionalInterface
    public interface EvalBody {
        Map<String, Double> run(int step);
    }

    private final RunSettings settings;
    private final TrainingTarget target;
    private final Optional<ScalarHead> head;
    private final AdamW adam;
    private final WarmupCosineSchedule schedule;
    private final CheckpointStore store;
    private final Consumer<String> progress;
    private int startStep;
    private boolean resumed;

    public PostTrainRun(RunSettings settings, TrainingTarget target, Optional<ScalarHead> head, WorkerPool pool,
                        Consumer<String> progress) {
        this.settings = settings;
        this.target = target;
        this.head = head;
        this.adam = new AdamW(target.trainable(), settings.adam(), pool);
        this.schedule = new WarmupCosineSchedule(settings.lr(), settings.warmupSteps(), settings.steps(),
                settings.minLrRatio());
        this.store = new CheckpointStore(settings.out().resolve("checkpoints"), Math.max(1, settings.keep()));
        this.progress = progress;
    }

    /** Restores the newest valid checkpoint, if any; returns the step to continue from. */
    public int resume() throws IOException {
        resumed = true;
        target.bindCheckpoints(store.dir(), true);
        Optional<CheckpointStore.Loaded> loaded = store.loadLatestValid(progress);
        if (loaded.isEmpty()) {
            progress.accept("no checkpoint in " + store.dir() + ": starting from step 0");
            return 0;
        }
        TrainingState s = loaded.get().state();
        if (!s.shape().equals(target.shape())) {
            throw new IOException(loaded.get().file() + ": model shape " + s.shape() + " differs from " + target.shape());
        }
        TrainableParameters trained = target.trainable();
        if (s.weights().length != trained.size()) {
            throw new IOException(loaded.get().file() + ": holds " + s.weights().length + " trained weights, this run trains "
                    + trained.size() + " (" + target.describe() + "): full fine-tuning vs LoRA, or another adapter");
        }
        System.arraycopy(s.weights(), 0, trained.values(), 0, s.weights().length);
        adam.restore(s.adamM(), s.adamV(), s.adamStep());
        if (head.isPresent()) {
            Path h = store.dir().resolve(headName(s.step()));
            try (DataInputStream in = new DataInputStream(Files.newInputStream(h))) {
                ScalarHead restored = ScalarHead.read(in, h.toString());
                head.get().copyFrom(restored);
            }
        }
        startStep = (int) s.step();
        progress.accept("resumed from " + loaded.get().file() + " at step " + startStep);
        return startStep;
    }

    /** Runs steps from the resumed step to {@code settings.steps()}; returns the last step's metrics. */
    public Map<String, Double> run(StepBody body, EvalBody eval) throws IOException {
        TrainableParameters p = target.trainable();
        if (!resumed) {
            target.bindCheckpoints(store.dir(), false);
        }
        progress.accept(target.describe());
        Path logFile = settings.out().resolve("log.jsonl");
        Map<String, Double> last = Map.of();
        long t0 = System.nanoTime();
        try (JsonLog log = new JsonLog(logFile)) {
            for (int step = startStep; step < settings.steps(); step++) {
                p.zeroGrads();
                head.ifPresent(ScalarHead::zeroGrads);
                target.beforeStep(settings.seed(), step);
                Map<String, Double> metrics = body.run(step);
                double norm = clip();
                float lr = schedule.lr(step);
                adam.step(lr);
                head.ifPresent(h -> h.adamStep(lr, settings.adam().beta1(), settings.adam().beta2(), settings.adam().eps()));
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("step", step + 1);
                line.putAll(metrics);
                line.put("gradNorm", norm);
                line.put("lr", lr);
                log.write("step", line);
                last = metrics;
                int done = step + 1;
                if (done % Math.max(1, settings.logEvery()) == 0 || done == settings.steps()) {
                    double secs = (System.nanoTime() - t0) / 1e9;
                    progress.accept(String.format(java.util.Locale.ROOT, "step %d/%d  loss %.4f  %s lr %.2e  %.1fs",
                            done, settings.steps(), metrics.getOrDefault("loss", Double.NaN), extra(metrics), lr, secs));
                }
                boolean end = done == settings.steps();
                if (eval != null && (end || (settings.evalEvery() > 0 && done % settings.evalEvery() == 0))) {
                    Map<String, Object> ev = new LinkedHashMap<>();
                    ev.put("step", done);
                    Map<String, Double> em = target.evaluating(() -> eval.run(done));
                    ev.putAll(em);
                    log.write("eval", ev);
                    progress.accept("eval step " + done + ": " + em);
                }
                if (end || (settings.checkpointEvery() > 0 && done % settings.checkpointEvery() == 0)) {
                    save(done);
                }
            }
        }
        LossCurvePlot.writeFromLog(logFile, settings.out().resolve("loss.png"));
        writeFinal();
        return last;
    }

    private static String extra(Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder();
        metrics.forEach((k, v) -> {
            if (!k.equals("loss")) {
                sb.append(String.format(java.util.Locale.ROOT, "%s %.4f  ", k, v));
            }
        });
        return sb.toString();
    }

    private double clip() {
        double sum = 0;
        for (float g : target.trainable().grads()) {
            sum += (double) g * g;
        }
        if (head.isPresent()) {
            for (float g : head.get().grads()) {
                sum += (double) g * g;
            }
        }
        double norm = Math.sqrt(sum);
        double coef = settings.gradClip() / (norm + 1e-6);  // torch.nn.utils.clip_grad_norm_
        if (coef < 1) {
            scale(target.trainable().grads(), (float) coef);
            head.ifPresent(h -> scale(h.grads(), (float) coef));
        }
        return norm;
    }

    private static void scale(float[] a, float c) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= c;
        }
    }

    private TrainingState state(long step) {
        return new TrainingState(target.shape(), step, target.trainable().values().clone(), adam.firstMoment().clone(),
                adam.secondMoment().clone(), adam.stepCount(), LoaderPosition.START, settings.seed(), step, 0, 0,
                new long[0], target.tokenizerBytes());
    }

    private void save(int step) throws IOException {
        if (head.isPresent()) {
            Files.createDirectories(store.dir());
            writeAtomically(store.dir().resolve(headName(step)), out -> head.get().write(new DataOutputStream(out)));
        }
        store.save(state(step));
        pruneHeads();
    }

    /** Deletes head files whose checkpoint {@link CheckpointStore} has pruned (keep-K). */
    private void pruneHeads() throws IOException {
        if (head.isEmpty()) {
            return;
        }
        java.util.Set<String> kept = new java.util.HashSet<>();
        for (Path c : store.list()) {
            String n = c.getFileName().toString();
            kept.add("head-" + n.substring(n.indexOf('-') + 1, n.indexOf('.')) + ".bin");
        }
        try (var files = Files.list(store.dir())) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("head-\\d{8}\\.bin")).toList()) {
                if (!kept.contains(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private void writeFinal() throws IOException {
        target.writeFinal(settings.out(), state(settings.steps()));
        if (head.isPresent()) {
            writeAtomically(settings.out().resolve("head.bin"), out -> head.get().write(new DataOutputStream(out)));
        }
    }

    private static String headName(long step) {
        return String.format("head-%08d.bin", step);
    }

    /** Writes {@code <file>.tmp} and renames it over {@code file}, so a reader sees all or nothing. */
    public static void writeAtomically(Path file, IoWriter writer) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            writer.write(buf);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                buf.writeTo(out);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @FunctionalInterface
    public interface IoWriter {
        void write(OutputStream out) throws IOException;
    }
}
