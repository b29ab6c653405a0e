package org.llama3j.train.model;

import java.util.Arrays;
import org.llama3j.model.lora.Projection;
import org.llama3j.train.layers.ChunkedCrossEntropyHead;
import org.llama3j.train.layers.DocumentMaskedAttention;
import org.llama3j.train.layers.Embedding;
import org.llama3j.train.layers.Linear;
import org.llama3j.train.layers.Residual;
import org.llama3j.train.layers.RmsNorm;
import org.llama3j.train.layers.Rope;
import org.llama3j.train.layers.RopeTable;
import org.llama3j.train.layers.SwiGlu;
import org.llama3j.train.layers.WorkerPool;

/**
 * The Llama 3 decoder (Meta {@code llama/model.py} {@code Transformer}) for training: a forward
 * pass that keeps its activations and a backward pass that fills the gradients of
 * {@link LlamaParameters}, built from the layer functions of {@code org.llama3j.train.layers}.
 *
 * <pre>
 * h = token_embd[tokens]
 * per block: h = h + attn_output · Attention(RoPE(attn_q·n), RoPE(attn_k·n), attn_v·n), n = RMSNorm(h, attn_norm)
 *            h = h + ffn_down · (silu(ffn_gate·n) ⊙ ffn_up·n),                              n = RMSNorm(h, ffn_norm)
 * loss = mean CE(output · RMSNorm(h, output_norm), targets)   (vocabulary-chunked)
 * </pre>
 *
 * Packed batches: {@code docIds} marks which document each token belongs to; attention never
 * crosses documents. RoPE positions are the positions in the packed row, 0..T−1, as in torchtitan's
 * document-masked training; they do not restart per document.
 *
 * <p>Activation recomputation ({@code recompute = true}, as torchtitan's full activation
 * checkpointing): the forward pass keeps only each block's input; the backward pass re-runs a
 * block's forward from that input just before the block's backward (the last block's activations
 * are still there). Same functions on the same inputs, so gradients are bit-identical; memory per
 * token drops from {@code layers × (6·dim + 2·kvDim + heads + 2 + 3·ffn)} floats to
 * {@code layers × dim + (5·dim + 2·kvDim + heads + 2 + 3·ffn)} ({@link #activationFloatsPerToken}),
 * for about one more forward pass of the blocks.
 */
public final class LlamaTrainingModel {

    /**
     * Vocabulary chunk of the fused head (logits of 8192 tokens per row at a time, fewer when
     * {@code B·T × chunk} would exceed {@link ChunkedCrossEntropyHead#MAX_CHUNK_LOGITS}).
     */
    public static final int DEFAULT_VOCAB_CHUNK = 8192;

    private final ModelShape shape;
    private final LlamaParameters params;
    private final WorkerPool pool;
    private final RopeTable rope;
    private final ChunkedCrossEntropyHead head;
    private final boolean recompute;
    private ActivationBuffers acts;
    private int[] positions;
    private ProjectionHook hook = ProjectionHook.NONE;

    public LlamaTrainingModel(LlamaParameters params, WorkerPool pool) {
        this(params, pool, DEFAULT_VOCAB_CHUNK);
    }

    public LlamaTrainingModel(LlamaParameters params, WorkerPool pool, int vocabChunk) {
        this(params, pool, vocabChunk, false);
    }

    /** As {@link #LlamaTrainingModel(LlamaParameters, WorkerPool, int)}, with activation recomputation on or off. */
    public LlamaTrainingModel(LlamaParameters params, WorkerPool pool, int vocabChunk, boolean recompute) {
        this.recompute = recompute;
        this.shape = params.shape();
        this.params = params;
        this.pool = pool;
        this.rope = new RopeTable(shape.headDim(), shape.maxSeqLen(), shape.ropeTheta(), shape.ropeScaling());
        this.head = new ChunkedCrossEntropyHead(shape.dim(), shape.vocabSize(), vocabChunk);
    }

    public LlamaParameters parameters() {
        return params;
    }

    /**
     * Installs extra computation on every block's linear projections (LoRA's side path). With
     * {@link LlamaParameters#frozen() frozen} parameters only the hook's own parameters get gradients.
     */
    public void setProjectionHook(ProjectionHook hook) {
        this.hook = hook == null ? ProjectionHook.NONE : hook;
    }

    /**
     * Floats per token held by a forward/backward pass of {@code shape}: block activations, the
     * head's inputs and the backward scratch (not the head's transient logits chunk).
     */
    public static long activationFloatsPerToken(ModelShape shape, boolean recompute) {
        return ActivationBuffers.floatsPerToken(shape, recompute);
    }

    /** Mean loss over non-ignored targets; keeps activations for {@link #forwardBackward}. */
    public float forward(int[] tokens, int[] targets, int[] docIds, int batch, int seqLen) {
        validate(tokens, targets, docIds, batch, seqLen);
        runTrunk(tokens, docIds, batch, seqLen);
        return head.forward(pool, acts.finalNormOut, params.values(), params.outputOffset(), targets, acts.headLse);
    }

    /**
     * Forward and backward pass: returns the mean loss and <em>adds</em> its gradient to
     * {@link LlamaParameters#grads()} (call {@link LlamaParameters#zeroGrads()} first unless
     * accumulating micro-batches).
     */
    public float forwardBackward(int[] tokens, int[] targets, int[] docIds, int batch, int seqLen) {
        return forwardBackward(tokens, targets, docIds, batch, seqLen, 1f);
    }

    /**
     * As {@link #forwardBackward(int[], int[], int[], int, int)} with the gradient of
     * {@code dLoss · loss}: gradient accumulation over k micro-batches passes {@code 1/k} so the
     * summed gradients are those of the mean loss.
     */
    public float forwardBackward(int[] tokens, int[] targets, int[] docIds, int batch, int seqLen, float dLoss) {
        validate(tokens, targets, docIds, batch, seqLen);
        runTrunk(tokens, docIds, batch, seqLen);
        float[] w = params.values();
        Arrays.fill(acts.dNorm, 0f);
        float loss = head.forwardBackward(pool, acts.finalNormOut, w, params.outputOffset(), targets, acts.headLse,
                dLoss, acts.dNorm, params.grads(), params.outputOffset());
        backwardFromFinalNorm(tokens, docIds, batch, seqLen);
        return loss;
    }

    /**
     * Forward pass returning each position's {@code log p(targets[n] | tokens[..n])} (0 where the
     * target is the ignore index); keeps activations for {@link #backwardFromLogProbs}. The
     * per-token quantities DPO, PPO and rejection sampling work with.
     */
    public float[] forwardLogProbs(int[] tokens, int[] targets, int[] docIds, int batch, int seqLen) {
        validate(tokens, targets, docIds, batch, seqLen);
        runTrunk(tokens, docIds, batch, seqLen);
        return head.logProbs(pool, acts.finalNormOut, params.values(), params.outputOffset(), targets, acts.headLse);
    }

    /**
     * The final-norm output {@code [B·T][dim]} of the last forward pass (the input of the output
     * projection), read-only: scalar heads (reward model, PPO value head) read it.
     */
    public float[] finalHidden() {
        if (acts == null) {
            throw new IllegalStateException("no forward pass has run yet");
        }
        return acts.finalNormOut;
    }

    /**
     * Backward through the last forward pass for a loss L given per position
     * {@code dLogProbs[n] = ∂L/∂log p(targets[n])} (null: L does not use the language-model head)
     * and {@code dHidden = ∂L/∂finalHidden()} (null: L does not read the hidden states); adds the
     * gradient to {@link LlamaParameters#grads()}. Covers weighted token losses
     * ({@code L = Σ w_n·(−log p)} ⇒ {@code dLogProbs = −w}) and scalar heads on the hidden states.
     */
    public void backwardFromLogProbs(int[] tokens, int[] targets, int[] docIds, int batch, int seqLen,
                                     float[] dLogProbs, float[] dHidden) {
        validate(tokens, targets, docIds, batch, seqLen);
        int rows = batch * seqLen;
        if (acts == null || acts.rows != rows) {
            throw new IllegalStateException("backward needs a forward pass of the same B·T = " + rows);
        }
        Arrays.fill(acts.dNorm, 0f);
        if (dLogProbs != null) {
            if (dLogProbs.length != rows) {
                throw new InvalidBatchException("dLogProbs has length " + dLogProbs.length + ", expected B·T = " + rows);
            }
            float[] rowScale = new float[rows];
            for (int n = 0; n < rows; n++) {
                rowScale[n] = -dLogProbs[n];
            }
            head.backwardScaled(pool, acts.finalNormOut, params.values(), params.outputOffset(), targets,
                    acts.headLse, rowScale, acts.dNorm, params.grads(), params.outputOffset());
        }
        if (dHidden != null) {
            if (dHidden.length != acts.dNorm.length) {
                throw new InvalidBatchException("dHidden has length " + dHidden.length + ", expected B·T·dim = "
                        + acts.dNorm.length);
            }
            for (int i = 0; i < dHidden.length; i++) {
                acts.dNorm[i] += dHidden[i];
            }
        }
        backwardFromFinalNorm(tokens, docIds, batch, seqLen);
    }

    /** Full logits {@code [B·T][vocab]} of the final position-wise head, for tests on small models. */
    public float[] logits(int[] tokens, int[] docIds, int batch, int seqLen) {
        int[] noTargets = new int[batch * seqLen];
        Arrays.fill(noTargets, ChunkedCrossEntropyHead.IGNORE_INDEX);
        validate(tokens, noTargets, docIds, batch, seqLen);
        runTrunk(tokens, docIds, batch, seqLen);
        return head.logits(pool, acts.finalNormOut, params.values(), params.outputOffset(), batch * seqLen);
    }

    private void validate(int[] tokens, int[] targets, int[] docIds, int batch, int seqLen) {
        if (batch <= 0 || seqLen <= 0) {
            throw new InvalidBatchException("batch and seqLen must be > 0, got B=" + batch + " T=" + seqLen);
        }
        if (seqLen > shape.maxSeqLen()) {
            throw new InvalidBatchException("seqLen " + seqLen + " exceeds maxSeqLen " + shape.maxSeqLen());
        }
        long rows = (long) batch * seqLen;
        checkLength("tokens", tokens, rows);
        checkLength("targets", targets, rows);
        checkLength("docIds", docIds, rows);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= shape.vocabSize()) {
                throw new InvalidBatchException("tokens[" + i + "] = " + tokens[i] + " outside [0, "
                        + shape.vocabSize() + ")");
            }
        }
        for (int i = 0; i < targets.length; i++) {
            int t = targets[i];
            if (t != ChunkedCrossEntropyHead.IGNORE_INDEX && (t < 0 || t >= shape.vocabSize())) {
                throw new InvalidBatchException("targets[" + i + "] = " + t + " outside [0, "
                        + shape.vocabSize() + ") and not ignore index " + ChunkedCrossEntropyHead.IGNORE_INDEX);
            }
        }
    }

    private static void checkLength(String name, int[] array, long expected) {
        if (array == null || array.length != expected) {
            throw new InvalidBatchException(name + " has length " + (array == null ? "null" : array.length)
                    + ", expected B·T = " + expected);
        }
    }

    private void ensureBuffers(int batch, int seqLen) {
        int rows = batch * seqLen;
        if (acts == null || acts.rows != rows) {
            acts = new ActivationBuffers(shape, rows, recompute);
        }
        if (positions == null || positions.length != rows) {
            positions = new int[rows];
        }
        for (int r = 0; r < rows; r++) {
            positions[r] = r % seqLen;
        }
    }

    private void runTrunk(int[] tokens, int[] docIds, int batch, int seqLen) {
        ensureBuffers(batch, seqLen);
        int rows = batch * seqLen;
        int d = shape.dim();
        float[] w = params.values();
        Embedding.forward(w, params.tokenEmbdOffset(), tokens, d, acts.layers[0].input);
        DocumentMaskedAttention.Shape attnShape = attentionShape(batch, seqLen);
        for (int l = 0; l < shape.nLayers(); l++) {
            runBlock(l, docIds, attnShape, rows, true);
        }
        RmsNorm.forward(pool, acts.finalResidual, w, params.outputNormOffset(), shape.normEps(),
                acts.finalNormOut, acts.finalRstd, rows, d);
    }

    /**
     * Block {@code l}'s forward pass from its stored input. With {@code toOutput} false (a
     * recomputation) it stops after the SwiGLU: the block's output is already the next input.
     */
    private void runBlock(int l, int[] docIds, DocumentMaskedAttention.Shape attnShape, int rows, boolean toOutput) {
        int d = shape.dim();
        float[] w = params.values();
        LayerActivations a = acts.layers[l];
        LayerOffsets o = params.layer(l);
        RmsNorm.forward(pool, a.input, w, o.attnNorm(), shape.normEps(), a.attnNormOut, a.attnRstd, rows, d);
        project(l, Projection.Q, a.attnNormOut, o.wq(), a.q, rows, d, d);
        project(l, Projection.K, a.attnNormOut, o.wk(), a.k, rows, d, shape.kvDim());
        project(l, Projection.V, a.attnNormOut, o.wv(), a.v, rows, d, shape.kvDim());
        Rope.forward(pool, rope, a.q, positions, shape.nHeads());
        Rope.forward(pool, rope, a.k, positions, shape.nKvHeads());
        DocumentMaskedAttention.forward(pool, attnShape, a.q, a.k, a.v, docIds, a.attnOut, a.lse);
        project(l, Projection.O, a.attnOut, o.wo(), acts.branch, rows, d, d);
        Residual.forward(a.input, acts.branch, a.mid, rows * d);
        RmsNorm.forward(pool, a.mid, w, o.ffnNorm(), shape.normEps(), a.ffnNormOut, a.ffnRstd, rows, d);
        project(l, Projection.GATE, a.ffnNormOut, o.w1Gate(), a.gate, rows, d, shape.ffnDim());
        project(l, Projection.UP, a.ffnNormOut, o.w3Up(), a.up, rows, d, shape.ffnDim());
        SwiGlu.forward(pool, a.gate, a.up, a.swiglu, rows * shape.ffnDim());
        if (toOutput) {
            float[] next = l + 1 < shape.nLayers() ? acts.layers[l + 1].input : acts.finalResidual;
            project(l, Projection.DOWN, a.swiglu, o.w2Down(), acts.branch, rows, shape.ffnDim(), d);
            Residual.forward(a.mid, acts.branch, next, rows * d);
        }
    }

    private DocumentMaskedAttention.Shape attentionShape(int batch, int seqLen) {
        return new DocumentMaskedAttention.Shape(batch, seqLen, shape.nHeads(), shape.nKvHeads(), shape.headDim());
    }

    /**
     * Backward from the gradient of the final-norm output held in {@code acts.dNorm}. The residual
     * stream's gradient lives in {@code dResidual}; every branch's backward adds into it, which is
     * the residual connection's backward pass.
     */
    private void backwardFromFinalNorm(int[] tokens, int[] docIds, int batch, int seqLen) {
        int rows = batch * seqLen;
        int d = shape.dim();
        int f = shape.ffnDim();
        int kv = shape.kvDim();
        float[] w = params.values();
        float[] g = params.grads();
        ActivationBuffers b = acts;
        DocumentMaskedAttention.Shape attnShape = attentionShape(batch, seqLen);
        Arrays.fill(b.dResidual, 0f);
        RmsNorm.backward(pool, b.dNorm, b.finalResidual, w, params.outputNormOffset(), b.finalRstd,
                b.dResidual, g, params.outputNormOffset(), rows, d);

        for (int l = shape.nLayers() - 1; l >= 0; l--) {
            if (b.recompute && l < shape.nLayers() - 1) {
                runBlock(l, docIds, attnShape, rows, false);
            }
            LayerActivations a = b.layers[l];
            LayerOffsets o = params.layer(l);
            // feed-forward branch: mid → ffn_norm → (gate, up) → swiglu → ffn_down
            Arrays.fill(b.dSwiglu, 0f);
            projectBackward(l, Projection.DOWN, b.dResidual, a.swiglu, o.w2Down(), b.dSwiglu, rows, f, d);
            SwiGlu.backward(pool, b.dSwiglu, a.gate, a.up, b.dGate, b.dUp, rows * f);
            Arrays.fill(b.dNorm, 0f);
            projectBackward(l, Projection.GATE, b.dGate, a.ffnNormOut, o.w1Gate(), b.dNorm, rows, d, f);
            projectBackward(l, Projection.UP, b.dUp, a.ffnNormOut, o.w3Up(), b.dNorm, rows, d, f);
            RmsNorm.backward(pool, b.dNorm, a.mid, w, o.ffnNorm(), a.ffnRstd, b.dResidual, g, o.ffnNorm(), rows, d);

            // attention branch: input → attn_norm → q,k,v → RoPE → attention → attn_output
            Arrays.fill(b.dAttnOut, 0f);
            projectBackward(l, Projection.O, b.dResidual, a.attnOut, o.wo(), b.dAttnOut, rows, d, d);
            Arrays.fill(b.dq, 0f);
            Arrays.fill(b.dk, 0f);
            Arrays.fill(b.dv, 0f);
            DocumentMaskedAttention.backward(pool, attnShape, a.q, a.k, a.v, docIds, a.attnOut, a.lse,
                    b.dAttnOut, b.dq, b.dk, b.dv);
            Rope.backward(pool, rope, b.dq, positions, shape.nHeads());
            Rope.backward(pool, rope, b.dk, positions, shape.nKvHeads());
            Arrays.fill(b.dNorm, 0f);
            projectBackward(l, Projection.Q, b.dq, a.attnNormOut, o.wq(), b.dNorm, rows, d, d);
            projectBackward(l, Projection.K, b.dk, a.attnNormOut, o.wk(), b.dNorm, rows, d, kv);
            projectBackward(l, Projection.V, b.dv, a.attnNormOut, o.wv(), b.dNorm, rows, d, kv);
            RmsNorm.backward(pool, b.dNorm, a.input, w, o.attnNorm(), a.attnRstd, b.dResidual, g, o.attnNorm(), rows, d);
        }
        if (g != null) {
            Embedding.backward(pool, b.dResidual, tokens, d, g, params.tokenEmbdOffset());
        }
    }

    /** {@code y = x·Wᵀ} of one block projection, plus the hook's share. */
    private void project(int layer, Projection p, float[] x, int wOff, float[] y, int rows, int in, int out) {
        Linear.forward(pool, x, 0, params.values(), wOff, y, 0, rows, in, out);
        hook.forward(layer, p, x, y, rows);
    }

    /** Backward of {@link #project}: dX always, dW unless the base is frozen, then the hook's backward. */
    private void projectBackward(int layer, Projection p, float[] dy, float[] x, int wOff, float[] dx,
                                 int rows, int in, int out) {
        Linear.backwardInput(pool, dy, 0, params.values(), wOff, dx, 0, rows, in, out);
        if (params.grads() != null) {
            Linear.backwardWeight(pool, dy, 0, x, 0, params.grads(), wOff, rows, in, out);
        }
        hook.backward(layer, p, x, dy, dx, rows);
    }
}
