package org.llama3j.posttrain.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.train.layers.DocumentMaskedAttention;
import org.llama3j.train.layers.Embedding;
import org.llama3j.train.layers.Linear;
import org.llama3j.train.layers.Residual;
import org.llama3j.train.layers.RmsNorm;
import org.llama3j.train.layers.Rope;
import org.llama3j.train.layers.RopeTable;
import org.llama3j.train.layers.SwiGlu;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LayerOffsets;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.ModelShape;

/**
 * Samples with a KV cache, on the training model's own layer functions and live weights (no copy, so
 * PPO's rollouts always sample the current policy). Each of the n rows keeps the keys and values of
 * its positions per layer; the prompt is run once and its cache copied to every row, then each step
 * runs only the newest token of every unfinished row: O(T) work per token instead of
 * {@link TinyGenerator}'s O(T²) recomputation of the whole prefix.
 *
 * <p>The computation is the training forward pass ({@code LlamaTrainingModel}) restricted to the new
 * tokens: the same {@link Linear}, {@link RmsNorm}, {@link Rope} and {@link SwiGlu} calls (each output
 * row summed in a fixed order whatever the number of rows), and attention by
 * {@code DocumentMaskedAttention.attendOne}, forward's operations for one query row (same scores, max,
 * exp, sums and accumulation order), over the cached keys. So the logits, and hence the draws from a
 * seed, are those of the uncached path bit for bit (tested). Full fine-tuning weights only: a LoRA side path is not applied.
 */
public final class CachedGenerator extends ReplySampler {

    private final LlamaParameters params;
    private final ModelShape shape;
    private final WorkerPool pool;
    private final RopeTable rope;
    private float[][][] keys;     // [row][layer][position·kvDim]
    private float[][][] values;
    private int capacity;

    public CachedGenerator(LlamaParameters params, WorkerPool pool, ChatEncoder encoder) {
        super(encoder);
        this.params = params;
        this.shape = params.shape();
        this.pool = pool;
        this.rope = new RopeTable(shape.headDim(), shape.maxSeqLen(), shape.ropeTheta(), shape.ropeScaling());
    }

    @Override
    protected int contextLength() {
        return shape.maxSeqLen();
    }

    @Override
    protected void begin(int maxLen) {
        capacity = maxLen;
        keys = null;
        values = null;
    }

    @Override
    protected float[][] nextLogits(int[][] seqs, int len, boolean[] done) {
        int n = seqs.length;
        float[][] out = new float[n][];
        if (keys == null) {
            // the prompt, once, into row 0's cache; every row starts from a copy of it
            keys = new float[n][shape.nLayers()][capacity * shape.kvDim()];
            values = new float[n][shape.nLayers()][capacity * shape.kvDim()];
            int[] rows = new int[len];
            int[] positions = new int[len];
            for (int t = 0; t < len; t++) {
                positions[t] = t;
            }
            float[] hidden = forward(Arrays.copyOf(seqs[0], len), rows, positions);
            for (int r = 1; r < n; r++) {
                for (int l = 0; l < shape.nLayers(); l++) {
                    System.arraycopy(keys[0][l], 0, keys[r][l], 0, len * shape.kvDim());
                    System.arraycopy(values[0][l], 0, values[r][l], 0, len * shape.kvDim());
                }
            }
            float[] last = headLogits(params, hidden, len - 1);
            for (int r = 0; r < n; r++) {
                out[r] = last.clone();
            }
            return out;
        }
        List<Integer> active = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            if (!done[r]) {
                active.add(r);
            }
        }
        int[] tokens = new int[active.size()];
        int[] rows = new int[active.size()];
        int[] positions = new int[active.size()];
        for (int i = 0; i < tokens.length; i++) {
            rows[i] = active.get(i);
            tokens[i] = seqs[rows[i]][len - 1];
            positions[i] = len - 1;
        }
        float[] hidden = forward(tokens, rows, positions);
        for (int i = 0; i < tokens.length; i++) {
            out[rows[i]] = headLogits(params, hidden, i);
        }
        return out;
    }

    /**
     * Runs tokens {@code tokens[t]} of row {@code rows[t]} at position {@code positions[t]} (a row's
     * earlier positions already cached, or earlier in this call), storing their keys and values;
     * returns the final-norm hidden states {@code [count][dim]}.
     */
    private float[] forward(int[] tokens, int[] rows, int[] positions) {
        int count = tokens.length;
        int d = shape.dim();
        int kv = shape.kvDim();
        int ffn = shape.ffnDim();
        float[] w = params.values();
        float[] x = new float[count * d];
        float[] norm = new float[count * d];
        float[] rstd = new float[count];
        float[] q = new float[count * d];
        float[] k = new float[count * kv];
        float[] v = new float[count * kv];
        float[] attn = new float[count * d];
        float[] branch = new float[count * d];
        float[] mid = new float[count * d];
        float[] gate = new float[count * ffn];
        float[] up = new float[count * ffn];
        float[] act = new float[count * ffn];
        Embedding.forward(w, params.tokenEmbdOffset(), tokens, d, x);
        for (int l = 0; l < shape.nLayers(); l++) {
            LayerOffsets o = params.layer(l);
            RmsNorm.forward(pool, x, w, o.attnNorm(), shape.normEps(), norm, rstd, count, d);
            Linear.forward(pool, norm, 0, w, o.wq(), q, 0, count, d, d);
            Linear.forward(pool, norm, 0, w, o.wk(), k, 0, count, d, kv);
            Linear.forward(pool, norm, 0, w, o.wv(), v, 0, count, d, kv);
            Rope.forward(pool, rope, q, positions, shape.nHeads());
            Rope.forward(pool, rope, k, positions, shape.nKvHeads());
            for (int t = 0; t < count; t++) {
                System.arraycopy(k, t * kv, keys[rows[t]][l], positions[t] * kv, kv);
                System.arraycopy(v, t * kv, values[rows[t]][l], positions[t] * kv, kv);
            }
            attend(l, q, rows, positions, attn);
            Linear.forward(pool, attn, 0, w, o.wo(), branch, 0, count, d, d);
            Residual.forward(x, branch, mid, count * d);
            RmsNorm.forward(pool, mid, w, o.ffnNorm(), shape.normEps(), norm, rstd, count, d);
            Linear.forward(pool, norm, 0, w, o.w1Gate(), gate, 0, count, d, ffn);
            Linear.forward(pool, norm, 0, w, o.w3Up(), up, 0, count, d, ffn);
            SwiGlu.forward(pool, gate, up, act, count * ffn);
            Linear.forward(pool, act, 0, w, o.w2Down(), branch, 0, count, ffn, d);
            Residual.forward(mid, branch, x, count * d);
        }
        float[] hidden = new float[count * d];
        RmsNorm.forward(pool, x, w, params.outputNormOffset(), shape.normEps(), hidden, rstd, count, d);
        return hidden;
    }

    /**
     * Causal attention of each new query over its row's cached positions 0..position, by
     * {@code DocumentMaskedAttention.attendOne}: forward's operations for one query row.
     */
    private void attend(int layer, float[] q, int[] rows, int[] positions, float[] out) {
        int hd = shape.headDim();
        int heads = shape.nHeads();
        int group = heads / shape.nKvHeads();
        int qRow = heads * hd;
        int kvRow = shape.kvDim();
        pool.forRange(rows.length * heads, 1, (i0, i1) -> {
            for (int task = i0; task < i1; task++) {
                int t = task / heads;
                int h = task % heads;
                int qOff = t * qRow + h * hd;
                DocumentMaskedAttention.attendOne(q, qOff, keys[rows[t]][layer], values[rows[t]][layer],
                        (h / group) * hd, kvRow, positions[t] + 1, hd, out, qOff);
            }
        });
    }
}
