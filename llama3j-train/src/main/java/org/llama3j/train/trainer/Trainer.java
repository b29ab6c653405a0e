package org.llama3j.train.trainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.llama3j.train.checkpoint.CheckpointStore;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.data.LoaderPosition;
import org.llama3j.train.data.PackedBatch;
import org.llama3j.train.data.PackedBatchLoader;
import org.llama3j.train.data.ShardSet;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.optim.AdamW;
import org.llama3j.train.optim.GradientClipping;
import org.llama3j.train.optim.WarmupCosineSchedule;

/**
 * The pretraining loop: packed batches from the train shards, data-parallel forward/backward
 * ({@link DataParallelStepper}), global-norm clipping, scheduled AdamW; validation loss, atomic
 * checkpoints, a JSON-lines log, a live progress line and a loss-curve PNG.
 *
 * <p>Faults: a step whose loss or gradient norm is NaN/Inf, or whose loss exceeds
 * {@code spikeFactor ×} the running mean, is not applied; the run rolls back to the newest intact
 * checkpoint, marks the offending batch to be skipped and goes on (the batch is identified by its
 * draw index, so replay after the rollback reads the same data up to it). Checkpoint write
 * failures are logged and training continues; the previous checkpoint stays valid.
 *
 * <p>Determinism: the state in a checkpoint is everything the loop reads, so {@code --resume}
 * continues with the exact loss trajectory of an uninterrupted run (same thread count).
 */
public final class Trainer implements AutoCloseable {

    /** Weight of the newest loss in the running mean used for spike detection. */
    static final double RUNNING_MEAN_WEIGHT = 0.1;

    private final RunSettings settings;
    private final TrainerHooks hooks;
    private final PrintStream progress;
    private final CheckpointStore store;
    private final byte[] tokenizer;
    private final PackedBatchLoader train;
    private final PackedBatchLoader val;
    private final ModelShape shape;
    private final LlamaParameters params;
    private final DataParallelStepper stepper;
    private final AdamW adam;
    private final WarmupCosineSchedule schedule;
    private final TrainingLog log;
    private final TreeSet<Long> skipped = new TreeSet<>();
    private long step;
    private long batchesDrawn;
    private double runningLoss;
    private long runningCount;

    public Trainer(RunSettings settings, TrainerHooks hooks, PrintStream progress) throws IOException {
        this(settings, hooks, progress, new CheckpointStore(settings.checkpointDir(), settings.checkpointKeep()));
    }

    public Trainer(RunSettings settings, TrainerHooks hooks, PrintStream progress, CheckpointStore store)
            throws IOException {
        this.settings = settings;
        this.hooks = hooks;
        this.progress = progress;
        this.store = store;
        List<Path> trainFiles = ShardSet.list(settings.dataDir(), "train");
        if (trainFiles.isEmpty()) {
            throw new TrainerConfigException("data.dir " + settings.dataDir() + " has no train-*.bin shards");
        }
        List<Path> valFiles = ShardSet.list(settings.dataDir(), "val");
        if (settings.evalEvery() > 0 && valFiles.isEmpty()) {
            throw new TrainerConfigException("eval.every is set but data.dir " + settings.dataDir()
                    + " has no val-*.bin shards");
        }
        this.val = settings.evalEvery() > 0 ? PackedBatchLoader.open(valFiles, settings.seqLen(), settings.seed()) : null;
        this.tokenizer = Files.isRegularFile(settings.tokenizer()) ? Files.readAllBytes(settings.tokenizer()) : new byte[0];
        this.train = PackedBatchLoader.open(trainFiles, settings.seqLen(), settings.seed());
        this.shape = settings.shape(train.vocabSize());
        this.params = new LlamaParameters(shape);
        this.stepper = new DataParallelStepper(params, settings.threads(), settings.recompute());
        this.adam = new AdamW(params, settings.adamW(), stepper.pool());
        this.schedule = settings.schedule();
        Files.createDirectories(settings.outDir());
        this.log = new TrainingLog(settings.outDir().resolve("train-log.jsonl"));
    }

    /** Marks a step batch (by draw index) to be skipped, as a fault would; for tests and operators. */
    void skipBatch(long batchIndex) {
        skipped.add(batchIndex);
    }

    public LlamaParameters parameters() {
        return params;
    }

    public long step() {
        return step;
    }

    /** Runs to {@code settings.steps()}. */
    public TrainingReport run(boolean resume) throws IOException {
        return run(resume, settings.steps());
    }

    /**
     * Runs until {@code stopStep} (at most the configured steps), starting fresh or from the
     * newest intact checkpoint; a checkpoint is written at {@code stopStep}.
     */
    public TrainingReport run(boolean resume, long stopStep) throws IOException {
        long until = Math.min(stopStep, settings.steps());
        List<LossCurvePlot.Point> trainCurve = new ArrayList<>();
        List<LossCurvePlot.Point> valCurve = new ArrayList<>();
        int rollbacks = 0;
        int failedCheckpoints = 0;
        Path last = null;
        if (resume && restoreLatest()) {
            progress.printf("llama3j: resumed at step %d%n", step);
        } else {
            initialize();
            last = saveCheckpoint();
            if (last == null) {
                failedCheckpoints++;
            }
        }
        long start = System.nanoTime();
        long startStep = step;
        int tokensPerStep = settings.tokensPerStep();
        while (step < until) {
            long batchIndex;
            List<PackedBatch> micro;
            do {
                batchIndex = batchesDrawn++;
                micro = new ArrayList<>(settings.gradAccumulation());
                for (int j = 0; j < settings.gradAccumulation(); j++) {
                    micro.add(train.next(settings.microBatch()));
                }
            } while (skipped.contains(batchIndex));
            float loss = hooks.observeLoss(batchIndex, stepper.accumulate(micro));
            hooks.afterBackward(batchIndex, params.grads());
            double norm = GradientClipping.globalNorm(params.grads());
            String fault = faultOf(loss, norm);
            if (fault != null) {
                rollbacks++;
                if (rollbacks > settings.maxRollbacks()) {
                    log.write("fault", "step", step, "batch", batchIndex, "reason", fault, "fatal", true);
                    throw new TrainingDivergedException("step " + step + ": " + fault + "; giving up after "
                            + settings.maxRollbacks() + " rollbacks (faults.maxRollbacks) in this session");
                }
                skipped.add(batchIndex);
                log.write("fault", "step", step, "batch", batchIndex, "loss", loss, "gradNorm", norm, "reason", fault);
                progress.printf("%nllama3j: step %d: %s; rolling back and skipping batch %d%n", step, fault, batchIndex);
                if (!restoreLatest()) {
                    initialize();
                }
                log.write("rollback", "toStep", step, "skippedBatch", batchIndex);
                continue;
            }
            GradientClipping.clip(params.grads(), settings.gradClip(), norm);
            float lr = schedule.lr((int) step);
            adam.step(lr);
            step++;
            runningLoss = runningCount == 0 ? loss
                    : (1 - RUNNING_MEAN_WEIGHT) * runningLoss + RUNNING_MEAN_WEIGHT * loss;
            runningCount++;
            double seconds = (System.nanoTime() - start) / 1e9;
            double tokensPerSecond = (step - startStep) * (double) tokensPerStep / Math.max(seconds, 1e-9);
            trainCurve.add(new LossCurvePlot.Point(step, loss));
            log.write("step", "step", step, "loss", loss, "lr", lr, "gradNorm", norm, "tokens", step * tokensPerStep,
                    "tokensPerSec", Math.round(tokensPerSecond), "elapsedSec", seconds);
            double eta = (until - step) * seconds / (step - startStep);
            progress.printf("\rstep %d/%d  loss %.4f  lr %.2e  tok/s %.0f  ETA %s   ", step, settings.steps(), loss, lr,
                    tokensPerSecond, hms(eta));
            if (settings.evalEvery() > 0 && (step % settings.evalEvery() == 0 || step == until)) {
                float val = evaluate();
                valCurve.add(new LossCurvePlot.Point(step, val));
                log.write("eval", "step", step, "valLoss", val);
                progress.printf("%nstep %d  val loss %.4f%n", step, val);
            }
            if ((settings.checkpointEvery() > 0 && step % settings.checkpointEvery() == 0) || step == until) {
                Path saved = saveCheckpoint();
                if (saved == null) {
                    failedCheckpoints++;
                } else {
                    last = saved;
                }
            }
        }
        progress.println();
        LossCurvePlot.writeFromLog(settings.outDir().resolve("train-log.jsonl"), settings.outDir().resolve("loss.png"));
        return new TrainingReport(step, trainCurve, valCurve, rollbacks, failedCheckpoints, last);
    }

    private String faultOf(float loss, double norm) {
        if (!Float.isFinite(loss)) {
            return "loss is " + loss;
        }
        if (!Double.isFinite(norm)) {
            return "gradient norm is " + norm;
        }
        if (runningCount >= settings.spikeWarmup() && loss > settings.spikeFactor() * runningLoss) {
            return String.format("loss %.4f exceeds %.1f × running mean %.4f", loss, settings.spikeFactor(), runningLoss);
        }
        return null;
    }

    /** Mean validation loss over the first {@code eval.batches} micro-batches of the val shards. */
    public float evaluate() {
        if (val == null) {
            throw new IllegalStateException("no validation shards (eval.every is 0)");
        }
        val.seek(LoaderPosition.START);
        List<PackedBatch> micro = new ArrayList<>();
        for (int i = 0; i < settings.evalBatches(); i++) {
            micro.add(val.next(settings.microBatch()));
        }
        return stepper.evaluate(micro);
    }

    private void initialize() {
        params.initialize(settings.seed(), settings.initStd());
        adam.restore(new float[params.size()], new float[params.size()], 0);
        train.seek(LoaderPosition.START);
        step = 0;
        batchesDrawn = 0;
        runningLoss = 0;
        runningCount = 0;
    }

    private boolean restoreLatest() throws IOException {
        Optional<CheckpointStore.Loaded> loaded = store.loadLatestValid(w -> {
            log.write("warning", "message", w);
            progress.println("llama3j: " + w);
        });
        if (loaded.isEmpty()) {
            return false;
        }
        TrainingState s = loaded.get().state();
        if (!s.shape().equals(shape)) {
            throw new TrainerConfigException("checkpoint " + loaded.get().file() + " has model shape " + s.shape()
                    + " but the config gives " + shape);
        }
        System.arraycopy(s.weights(), 0, params.values(), 0, s.weights().length);
        adam.restore(s.adamM(), s.adamV(), s.adamStep());
        train.seek(s.loader());
        step = s.step();
        batchesDrawn = s.batchesDrawn();
        runningLoss = s.runningLoss();
        runningCount = s.runningCount();
        for (long b : s.skippedBatches()) {
            skipped.add(b);
        }
        log.write("restore", "file", loaded.get().file().toString(), "step", step);
        return true;
    }

    /** Saves the current state; on failure logs it and returns null (the previous checkpoint stays valid). */
    private Path saveCheckpoint() {
        long[] skip = skipped.stream().mapToLong(Long::longValue).toArray();
        TrainingState s = new TrainingState(shape, step, params.values().clone(), adam.firstMoment().clone(),
                adam.secondMoment().clone(), adam.stepCount(), train.position(), settings.seed(), batchesDrawn,
                runningLoss, runningCount, skip, tokenizer);
        try {
            Path p = store.save(s);
            log.write("checkpoint", "step", step, "file", p.toString());
            return p;
        } catch (IOException | RuntimeException e) {
            log.write("warning", "message", "checkpoint at step " + step + " failed: " + e);
            progress.printf("%nllama3j: checkpoint at step %d failed (%s); the previous one is kept%n", step, e);
            return null;
        }
    }

    private static String hms(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "--:--:--";
        }
        long s = Math.round(seconds);
        return String.format("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    @Override
    public void close() throws IOException {
        stepper.close();
        train.close();
        if (val != null) {
            val.close();
        }
        log.close();
    }
}
