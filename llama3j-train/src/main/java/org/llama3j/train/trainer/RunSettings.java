package org.llama3j.train.trainer;

import java.nio.file.Path;
import java.util.Optional;
import org.llama3j.train.layers.RopeScaling;
import org.llama3j.train.optim.AdamWConfig;
import org.llama3j.train.optim.WarmupCosineSchedule;
import org.llama3j.train.optim.WeightDecayScope;

/**
 * A validated {@link TrainerConfig} with defaults filled in and paths resolved. The model shape
 * is completed with the vocabulary size once the shards are open ({@link #shape(int)}).
 *
 * @param recompute activation recomputation (keep only block inputs, re-run blocks in backward)
 */
public record RunSettings(int dim, int layers, int heads, int kvHeads, int ffnDim, float normEps, double ropeTheta,
                          Optional<RopeScaling> ropeScaling, boolean tiedEmbeddings, double initStd,
                          Path dataDir, Path tokenizer, int seqLen, int microBatch, int gradAccumulation, int threads,
                          AdamWConfig adamW, float lr, float minLrRatio, int warmupSteps, double gradClip, int steps,
                          int evalEvery, int evalBatches, Path checkpointDir, int checkpointEvery, int checkpointKeep,
                          double spikeFactor, int spikeWarmup, int maxRollbacks, long seed, Path outDir,
                          boolean recompute) {

    public org.llama3j.train.model.ModelShape shape(int vocabSize) {
        return new org.llama3j.train.model.ModelShape(dim, layers, heads, kvHeads, ffnDim, vocabSize, normEps, ropeTheta,
                ropeScaling, tiedEmbeddings, seqLen);
    }

    public WarmupCosineSchedule schedule() {
        return new WarmupCosineSchedule(lr, warmupSteps, steps, minLrRatio);
    }

    public int tokensPerStep() {
        return seqLen * microBatch * gradAccumulation;
    }

    static AdamWConfig adamW(float beta1, float beta2, float eps, float weightDecay) {
        return new AdamWConfig(beta1, beta2, eps, weightDecay, WeightDecayScope.MATRICES);
    }
}
