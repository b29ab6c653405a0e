package org.llama3j.train.checkpoint;

import org.llama3j.train.data.LoaderPosition;
import org.llama3j.train.model.ModelShape;

/**
 * Everything a run needs to continue bit for bit: the model shape, the weights, AdamW's moments
 * and step count, the number of optimizer steps done, the data loader's position and the RNG
 * seed its shard order derives from, the loss-spike detector's running mean, the batches skipped
 * after faults, and the tokenizer (tiktoken bytes) so a checkpoint exports on its own.
 *
 * @param batchesDrawn    step batches taken from the loader so far (skipped ones included)
 * @param skippedBatches  indices (in draw order) of batches skipped after a loss fault
 */
public record TrainingState(ModelShape shape, long step, float[] weights, float[] adamM, float[] adamV, int adamStep,
                            LoaderPosition loader, long rngSeed, long batchesDrawn, double runningLoss,
                            long runningCount, long[] skippedBatches, byte[] tokenizer) {

    public TrainingState {
        if (weights.length != adamM.length || weights.length != adamV.length) {
            throw new IllegalArgumentException("weights and AdamW moments must have the same length, got "
                    + weights.length + "/" + adamM.length + "/" + adamV.length);
        }
    }
}
