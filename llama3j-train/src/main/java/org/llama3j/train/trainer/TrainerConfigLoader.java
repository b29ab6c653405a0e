package org.llama3j.train.trainer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;
import org.llama3j.train.layers.RopeScaling;
import org.llama3j.train.optim.AdamWConfig;

/**
 * Reads a YAML trainer config into {@link RunSettings}: unknown keys, wrong types, missing
 * required keys and impossible shapes are {@link TrainerConfigException}s naming the key.
 * Defaults: Llama 3's AdamW (β 0.9/0.95, ε 1e-8, weight decay 0.1), clip 1.0, min lr 0.1·lr,
 * RMSNorm ε 1e-5, θ 500000, init std 0.02 (torchtitan), micro-batch 1, accumulation 1, 1 thread.
 */
public final class TrainerConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private TrainerConfigLoader() {
    }

    public static RunSettings load(Path file) throws IOException {
        String text = Files.readString(file);
        return parse(text, file.toAbsolutePath().getParent(), file.toString());
    }

    public static RunSettings parse(String yaml, Path baseDir, String source) {
        TrainerConfig c;
        try {
            c = YAML.readValue(yaml, TrainerConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream().map(Object::toString)
                    .sorted().collect(Collectors.joining(", "));
            throw new TrainerConfigException(source + ": unknown key '" + path(e) + "' (known here: " + known + ")", e);
        } catch (JsonMappingException e) {
            throw new TrainerConfigException(source + ": bad value at '" + path(e) + "': " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TrainerConfigException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        if (c == null) {
            throw new TrainerConfigException(source + ": the config is empty");
        }
        return validate(c, baseDir, source);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static RunSettings validate(TrainerConfig c, Path base, String source) {
        Check k = new Check(source);
        TrainerConfig.Model m = k.required(c.model(), "model");
        int dim = k.positive(m.dim(), "model.dim");
        int layers = k.positive(m.layers(), "model.layers");
        int heads = k.positive(m.heads(), "model.heads");
        int kvHeads = m.kvHeads() == null ? heads : k.positive(m.kvHeads(), "model.kvHeads");
        int ffn = k.positive(m.ffnDim(), "model.ffnDim");
        if (dim % heads != 0) {
            throw k.fail("model.heads (" + heads + ") does not divide model.dim (" + dim + ")");
        }
        if (heads % kvHeads != 0) {
            throw k.fail("model.kvHeads (" + kvHeads + ") does not divide model.heads (" + heads + ")");
        }
        if ((dim / heads) % 2 != 0) {
            throw k.fail("model.dim / model.heads = " + dim / heads + " must be even (RoPE rotates pairs)");
        }
        float normEps = m.normEps() == null ? 1e-5f : m.normEps();
        k.check(normEps > 0, "model.normEps must be > 0, got " + normEps);
        double theta = m.ropeTheta() == null ? 500000 : m.ropeTheta();
        k.check(theta > 1, "model.ropeTheta must be > 1, got " + theta);
        Optional<RopeScaling> scaling = switch (m.ropeScaling() == null ? "none" : m.ropeScaling()) {
            case "none" -> Optional.empty();
            case "llama3.1" -> Optional.of(RopeScaling.LLAMA_3_1);
            default -> throw k.fail("model.ropeScaling must be 'none' or 'llama3.1', got '" + m.ropeScaling() + "'");
        };
        double initStd = m.initStd() == null ? 0.02 : m.initStd();
        k.check(initStd > 0, "model.initStd must be > 0, got " + initStd);

        TrainerConfig.Data d = k.required(c.data(), "data");
        Path dataDir = TrainerConfig.resolve(base, k.required(d.dir(), "data.dir"));
        Path tokenizer = d.tokenizer() == null ? dataDir.resolve("tokenizer.model")
                : TrainerConfig.resolve(base, d.tokenizer());
        int seqLen = k.positive(d.seqLen(), "data.seqLen");
        k.check(seqLen >= 2, "data.seqLen must be >= 2, got " + seqLen);

        TrainerConfig.Batch b = c.batch() == null ? new TrainerConfig.Batch(null, null) : c.batch();
        int micro = b.microBatch() == null ? 1 : k.positive(b.microBatch(), "batch.microBatch");
        int accum = b.gradAccumulation() == null ? 1 : k.positive(b.gradAccumulation(), "batch.gradAccumulation");
        k.check((long) micro * seqLen * Math.max(dim, ffn) < Integer.MAX_VALUE,
                "batch.microBatch × data.seqLen × max(model.dim, model.ffnDim) exceeds 2^31 activations");
        int threads = c.threads() == null ? 1 : k.positive(c.threads(), "threads");

        TrainerConfig.Optimizer o = k.required(c.optimizer(), "optimizer");
        float lr = k.required(o.lr(), "optimizer.lr");
        k.check(lr > 0, "optimizer.lr must be > 0, got " + lr);
        float minRatio = o.minLrRatio() == null ? 0.1f : o.minLrRatio();
        k.check(minRatio >= 0 && minRatio <= 1, "optimizer.minLrRatio must be in [0, 1], got " + minRatio);
        int steps = k.positive(c.steps(), "steps");
        int warmup = o.warmupSteps() == null ? 0 : o.warmupSteps();
        k.check(warmup >= 0 && warmup < steps, "optimizer.warmupSteps must be in [0, steps), got " + warmup);
        AdamWConfig defaults = AdamWConfig.LLAMA3;
        float beta1 = o.beta1() == null ? defaults.beta1() : o.beta1();
        float beta2 = o.beta2() == null ? defaults.beta2() : o.beta2();
        k.check(beta1 >= 0 && beta1 < 1, "optimizer.beta1 must be in [0, 1), got " + beta1);
        k.check(beta2 >= 0 && beta2 < 1, "optimizer.beta2 must be in [0, 1), got " + beta2);
        float eps = o.eps() == null ? defaults.eps() : o.eps();
        k.check(eps > 0, "optimizer.eps must be > 0, got " + eps);
        float wd = o.weightDecay() == null ? defaults.weightDecay() : o.weightDecay();
        k.check(wd >= 0, "optimizer.weightDecay must be >= 0, got " + wd);
        double clip = o.gradClip() == null ? 1.0 : o.gradClip();
        k.check(clip > 0, "optimizer.gradClip must be > 0, got " + clip);

        TrainerConfig.Eval e = c.eval() == null ? new TrainerConfig.Eval(0, 0) : c.eval();
        int evalEvery = e.every() == null ? 0 : e.every();
        k.check(evalEvery >= 0, "eval.every must be >= 0 (0 = never), got " + evalEvery);
        int evalBatches = e.batches() == null ? 4 : e.batches();
        k.check(evalEvery == 0 || evalBatches > 0, "eval.batches must be > 0, got " + evalBatches);

        String out = c.out() == null ? "run" : c.out();
        Path outDir = TrainerConfig.resolve(base, out);
        TrainerConfig.Checkpoint ck = c.checkpoint() == null ? new TrainerConfig.Checkpoint(null, null, null)
                : c.checkpoint();
        Path ckDir = ck.dir() == null ? outDir.resolve("checkpoints") : TrainerConfig.resolve(base, ck.dir());
        int ckEvery = ck.every() == null ? 0 : ck.every();
        k.check(ckEvery >= 0, "checkpoint.every must be >= 0 (0 = only at the end), got " + ckEvery);
        int keep = ck.keep() == null ? 3 : k.positive(ck.keep(), "checkpoint.keep");

        TrainerConfig.Faults f = c.faults() == null ? new TrainerConfig.Faults(null, null, null) : c.faults();
        double spike = f.spikeFactor() == null ? 3.0 : f.spikeFactor();
        k.check(spike > 1, "faults.spikeFactor must be > 1, got " + spike);
        int spikeWarmup = f.spikeWarmup() == null ? 20 : f.spikeWarmup();
        k.check(spikeWarmup >= 1, "faults.spikeWarmup must be >= 1, got " + spikeWarmup);
        int maxRollbacks = f.maxRollbacks() == null ? 10 : f.maxRollbacks();
        k.check(maxRollbacks >= 0, "faults.maxRollbacks must be >= 0, got " + maxRollbacks);
        long seed = c.seed() == null ? 0 : c.seed();

        return new RunSettings(dim, layers, heads, kvHeads, ffn, normEps, theta, scaling,
                m.tiedEmbeddings() != null && m.tiedEmbeddings(), initStd, dataDir, tokenizer, seqLen, micro, accum,
                threads, RunSettings.adamW(beta1, beta2, eps, wd), lr, minRatio, warmup, clip, steps, evalEvery,
                evalBatches, ckDir, ckEvery, keep, spike, spikeWarmup, maxRollbacks, seed, outDir,
                c.recompute() != null && c.recompute());
    }

    private record Check(String source) {
        TrainerConfigException fail(String message) {
            return new TrainerConfigException(source + ": " + message);
        }

        void check(boolean ok, String message) {
            if (!ok) {
                throw fail(message);
            }
        }

        <T> T required(T value, String key) {
            if (value == null) {
                throw fail("missing required key '" + key + "'");
            }
            return value;
        }

        int positive(Integer value, String key) {
            int v = required(value, key);
            check(v > 0, key + " must be > 0, got " + v);
            return v;
        }
    }
}
