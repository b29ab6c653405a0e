package org.llama3j.posttrain.generate;

import java.util.Arrays;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.train.layers.ChunkedCrossEntropyHead;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.LlamaTrainingModel;

/**
 * Samples straight from the training model's logits with no KV cache: each new token is one forward
 * pass over the whole prefix of the n rows (O(T²) per reply). The reference {@link CachedGenerator} is
 * tested against; also samples a model with a projection hook (LoRA side path) installed.
 */
public final class TinyGenerator extends ReplySampler {

    private final LlamaTrainingModel model;

    public TinyGenerator(LlamaTrainingModel model, ChatEncoder encoder) {
        super(encoder);
        this.model = model;
    }

    @Override
    protected int contextLength() {
        return model.parameters().shape().maxSeqLen();
    }

    @Override
    protected float[][] nextLogits(int[][] seqs, int len, boolean[] done) {
        LlamaParameters p = model.parameters();
        int n = seqs.length;
        int[] tokens = new int[n * len];
        for (int r = 0; r < n; r++) {
            System.arraycopy(seqs[r], 0, tokens, r * len, len);
        }
        int[] targets = new int[n * len];
        Arrays.fill(targets, ChunkedCrossEntropyHead.IGNORE_INDEX);
        model.forwardLogProbs(tokens, targets, new int[n * len], n, len);
        float[] hidden = model.finalHidden();
        float[][] out = new float[n][];
        for (int r = 0; r < n; r++) {
            if (!done[r]) {
                out[r] = headLogits(p, hidden, r * len + len - 1);
            }
        }
        return out;
    }
}
