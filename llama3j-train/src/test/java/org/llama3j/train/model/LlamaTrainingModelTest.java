package org.llama3j.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.llama3j.train.layers.WorkerPool;

class LlamaTrainingModelTest {

    private static final ModelShape SHAPE = new ModelShape(16, 1, 4, 2, 24, 41, 1e-5f, 10000,
            Optional.empty(), false, 8);

    private static LlamaTrainingModel model(int chunk) {
        LlamaParameters p = new LlamaParameters(SHAPE);
        p.initialize(3, 0.3);
        return new LlamaTrainingModel(p, WorkerPool.serial(), chunk);
    }

    @Test
    void parameterNamesAreGgufNamesInStorageOrder() {
        LlamaParameters p = new LlamaParameters(SHAPE);
        List<String> names = p.views().stream().map(ParameterView::name).toList();
        assertEquals(List.of("token_embd.weight", "blk.0.attn_norm.weight", "blk.0.attn_q.weight",
                "blk.0.attn_k.weight", "blk.0.attn_v.weight", "blk.0.attn_output.weight", "blk.0.ffn_norm.weight",
                "blk.0.ffn_gate.weight", "blk.0.ffn_up.weight", "blk.0.ffn_down.weight", "output_norm.weight",
                "output.weight"), names);
        assertArrayEquals(new int[] {8, 16}, p.view("blk.0.attn_k.weight").shape());
        assertArrayEquals(new int[] {16, 24}, p.view("blk.0.ffn_down.weight").shape());
        // 41·16 + 16 + 256 + 128 + 128 + 256 + 16 + 384·3 + 16 + 41·16
        assertEquals(41 * 16 * 2 + 16 * 3 + 256 * 2 + 128 * 2 + 384 * 3, p.size());
        ModelShape tied = new ModelShape(16, 1, 4, 2, 24, 41, 1e-5f, 10000, Optional.empty(), true, 8);
        LlamaParameters t = new LlamaParameters(tied);
        assertEquals(p.size() - 41 * 16, t.size());
        assertEquals(t.tokenEmbdOffset(), t.outputOffset());
        assertThrows(IllegalArgumentException.class, () -> t.view("output.weight"));
    }

    @Test
    void laterDocumentIgnoresEarlierDocument() {
        LlamaTrainingModel m = model(8);
        int[] tokens = {1, 2, 3, 4, 5, 6, 7, 8};
        int[] docs = {0, 0, 0, 1, 1, 1, 1, 1};
        float[] before = m.logits(tokens, docs, 1, 8);
        tokens[1] = 30;
        float[] after = m.logits(tokens, docs, 1, 8);
        int v = SHAPE.vocabSize();
        assertArrayEquals(Arrays.copyOfRange(before, 3 * v, 8 * v), Arrays.copyOfRange(after, 3 * v, 8 * v));
        assertEquals(before[0], after[0]);
        // with one document the change reaches the later positions
        int[] oneDoc = new int[8];
        float[] joined = m.logits(tokens, oneDoc, 1, 8);
        tokens[1] = 2;
        float[] joinedBefore = m.logits(tokens, oneDoc, 1, 8);
        assertEquals(false, Arrays.equals(Arrays.copyOfRange(joined, 3 * v, 8 * v),
                Arrays.copyOfRange(joinedBefore, 3 * v, 8 * v)));
    }

    @Test
    void vocabularyChunkDoesNotChangeLossOrGradients() {
        int[] tokens = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        int[] targets = {2, 3, -100, 5, 6, 7, 8, 40, 0, 11, 12, -100};
        int[] docs = {0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0};
        LlamaTrainingModel small = model(5);
        LlamaTrainingModel whole = model(1000);
        float l1 = small.forwardBackward(tokens, targets, docs, 2, 6);
        float l2 = whole.forwardBackward(tokens, targets, docs, 2, 6);
        assertEquals(l2, l1, 1e-6f);
        assertArrayEquals(whole.parameters().grads(), small.parameters().grads(), 1e-6f);
        assertEquals(l1, small.forward(tokens, targets, docs, 2, 6));
    }

    @Test
    void rejectsBadBatchesWithClearMessages() {
        LlamaTrainingModel m = model(8);
        int[] ok = new int[8];
        InvalidBatchException e = assertThrows(InvalidBatchException.class,
                () -> m.forward(new int[] {0, 0, 41, 0, 0, 0, 0, 0}, ok, ok, 1, 8));
        assertEquals("tokens[2] = 41 outside [0, 41)", e.getMessage());
        e = assertThrows(InvalidBatchException.class, () -> m.forward(ok, new int[] {0, -1, 0, 0, 0, 0, 0, 0}, ok, 1, 8));
        assertEquals("targets[1] = -1 outside [0, 41) and not ignore index -100", e.getMessage());
        e = assertThrows(InvalidBatchException.class, () -> m.forward(ok, ok, new int[7], 1, 8));
        assertEquals("docIds has length 7, expected B·T = 8", e.getMessage());
        e = assertThrows(InvalidBatchException.class, () -> m.forward(new int[9], new int[9], new int[9], 1, 9));
        assertEquals("seqLen 9 exceeds maxSeqLen 8", e.getMessage());
    }

    @Test
    void rejectsInconsistentShapes() {
        InvalidModelShapeException e = assertThrows(InvalidModelShapeException.class,
                () -> new ModelShape(16, 1, 4, 3, 24, 41, 1e-5f, 10000, Optional.empty(), false, 8));
        assertEquals("nHeads 4 is not a multiple of nKvHeads 3", e.getMessage());
        e = assertThrows(InvalidModelShapeException.class,
                () -> new ModelShape(12, 1, 4, 2, 24, 41, 1e-5f, 10000, Optional.empty(), false, 8));
        assertEquals("head_dim 3 must be even for RoPE pairs", e.getMessage());
    }
}
