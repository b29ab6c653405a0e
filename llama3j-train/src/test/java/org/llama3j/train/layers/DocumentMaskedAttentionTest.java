package org.llama3j.train.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class DocumentMaskedAttentionTest {

    // B=2, T=6, 4 query heads sharing 2 kv heads, head_dim 4; row 0 holds docs 7|8|9, row 1 one doc
    private static final DocumentMaskedAttention.Shape SHAPE = new DocumentMaskedAttention.Shape(2, 6, 4, 2, 4);
    private static final int[] DOCS = {7, 7, 8, 8, 8, 9, 0, 0, 0, 0, 0, 0};
    private static final int ROWS = 12;

    @Test
    void singleKeyAttentionReturnsItsValue() {
        // the first token of each document sees only itself: output = its value vector
        SplittableRandom r = new SplittableRandom(7);
        float[] q = GradCheck.randn(r, ROWS * 16, 1);
        float[] k = GradCheck.randn(r, ROWS * 8, 1);
        float[] v = GradCheck.randn(r, ROWS * 8, 1);
        float[] out = new float[ROWS * 16];
        DocumentMaskedAttention.forward(WorkerPool.serial(), SHAPE, q, k, v, DOCS, out, new float[ROWS * 4]);
        for (int t : new int[] {0, 2, 5, 6}) {
            for (int h = 0; h < 4; h++) {
                int kvh = h / 2;
                float[] expected = java.util.Arrays.copyOfRange(v, t * 8 + kvh * 4, t * 8 + kvh * 4 + 4);
                float[] got = java.util.Arrays.copyOfRange(out, t * 16 + h * 4, t * 16 + h * 4 + 4);
                assertArrayEquals(expected, got, 1e-6f, "row " + t + " head " + h);
            }
        }
    }

    @Test
    void outputIgnoresFutureTokensAndOtherDocuments() {
        SplittableRandom r = new SplittableRandom(8);
        float[] q = GradCheck.randn(r, ROWS * 16, 1);
        float[] k = GradCheck.randn(r, ROWS * 8, 1);
        float[] v = GradCheck.randn(r, ROWS * 8, 1);
        float[] before = run(q, k, v);
        // change key and value of position 2 (doc 8): rows 0,1 (doc 7) and 5 (doc 9) must not move
        k[2 * 8] += 3f;
        v[2 * 8 + 1] -= 2f;
        float[] after = run(q, k, v);
        for (int t : new int[] {0, 1, 5, 6, 7, 8, 9, 10, 11}) {
            assertArrayEquals(java.util.Arrays.copyOfRange(before, t * 16, t * 16 + 16),
                    java.util.Arrays.copyOfRange(after, t * 16, t * 16 + 16), "row " + t);
        }
        assertNotEquals(before[3 * 16], after[3 * 16], "row 3 (doc 8, after position 2) must change");
    }

    private static float[] run(float[] q, float[] k, float[] v) {
        float[] out = new float[ROWS * 16];
        DocumentMaskedAttention.forward(WorkerPool.serial(), SHAPE, q, k, v, DOCS, out, new float[ROWS * 4]);
        return out;
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(9);
        float[] q = GradCheck.randn(r, ROWS * 16, 1);
        float[] k = GradCheck.randn(r, ROWS * 8, 1);
        float[] v = GradCheck.randn(r, ROWS * 8, 1);
        float[] probe = GradCheck.randn(r, ROWS * 16, 1);
        float[] out = new float[ROWS * 16];
        float[] lse = new float[ROWS * 4];
        DoubleSupplier loss = () -> {
            DocumentMaskedAttention.forward(WorkerPool.serial(), SHAPE, q, k, v, DOCS, out, lse);
            return GradCheck.weightedSum(out, probe);
        };
        loss.getAsDouble();
        float[] dq = new float[q.length];
        float[] dk = new float[k.length];
        float[] dv = new float[v.length];
        DocumentMaskedAttention.backward(WorkerPool.serial(), SHAPE, q, k, v, DOCS, out, lse, probe, dq, dk, dv);
        GradCheck.assertGradient("attention dQ", dq, GradCheck.numeric(q, loss));
        GradCheck.assertGradient("attention dK", dk, GradCheck.numeric(k, loss));
        GradCheck.assertGradient("attention dV", dv, GradCheck.numeric(v, loss));
    }

    @Test
    void matchesFloat64ReferenceAcrossVectorWidthsDocumentLayoutsAndKeyBlocks() {
        // T = 70: several vectors of keys and a partial one; T = 400: backward key blocks of 320 + 80.
        // Head dims 32 (whole vectors), 8 and 20 (padded); docs in runs, and a row where doc 5 returns
        // (also at head dim 32, where the backward pass sums dK/dV of four keys at once).
        record Case(int batch, int seqLen, int heads, int kvHeads, int headDim, boolean runs) {
        }
        for (Case c : new Case[] {new Case(2, 70, 4, 2, 32, true), new Case(2, 70, 2, 1, 8, false),
                new Case(1, 70, 3, 3, 20, true), new Case(1, 400, 2, 1, 8, true), new Case(1, 400, 2, 2, 8, false),
                new Case(1, 70, 2, 1, 32, false)}) {
            var shape = new DocumentMaskedAttention.Shape(c.batch(), c.seqLen(), c.heads(), c.kvHeads(), c.headDim());
            int rows = c.batch() * c.seqLen();
            int qw = c.heads() * c.headDim();
            int kw = c.kvHeads() * c.headDim();
            int[] docs = new int[rows];
            for (int i = 0; i < rows; i++) {
                int t = i % c.seqLen();
                docs[i] = c.runs() ? t * 5 / c.seqLen() + 10 * (i / c.seqLen()) : (t / 7) % 3 == 1 ? 5 : t / 9;
            }
            SplittableRandom r = new SplittableRandom(c.seqLen() + c.headDim());
            float[] q = GradCheck.randn(r, rows * qw, 1);
            float[] k = GradCheck.randn(r, rows * kw, 1);
            float[] v = GradCheck.randn(r, rows * kw, 1);
            float[] probe = GradCheck.randn(r, rows * qw, 1);
            float[] out = new float[rows * qw];
            float[] lse = new float[rows * c.heads()];
            float[] dq = new float[q.length];
            float[] dk = new float[k.length];
            float[] dv = new float[v.length];
            try (WorkerPool pool = new WorkerPool(2)) {
                DocumentMaskedAttention.forward(pool, shape, q, k, v, docs, out, lse);
                DocumentMaskedAttention.backward(pool, shape, q, k, v, docs, out, lse, probe, dq, dk, dv);
            }
            double[][] ref = reference(shape, q, k, v, docs, probe);
            String what = c.toString();
            assertClose(what + " out", ref[0], out);
            assertClose(what + " dQ", ref[1], dq);
            assertClose(what + " dK", ref[2], dk);
            assertClose(what + " dV", ref[3], dv);
        }
    }

    @Test
    void aQuerysOutputDoesNotDependOnWhetherTheForwardPassPairedIt() {
        // The forward pass takes two queries of one document at a time. Row 0: a document of 69 tokens
        // (its last query, 68, goes alone) and one of 1; row 1: the same values as one document of 70
        // (query 68 paired with 69). Queries 0..68 see the same keys in both rows: same bits, as a
        // one-query KV-cached generator computing them needs.
        int seqLen = 70;
        var shape = new DocumentMaskedAttention.Shape(2, seqLen, 2, 1, 32);
        SplittableRandom r = new SplittableRandom(21);
        float[] q = GradCheck.randn(r, 2 * seqLen * 64, 1);
        float[] k = GradCheck.randn(r, 2 * seqLen * 32, 1);
        float[] v = GradCheck.randn(r, 2 * seqLen * 32, 1);
        System.arraycopy(q, 0, q, seqLen * 64, seqLen * 64);
        System.arraycopy(k, 0, k, seqLen * 32, seqLen * 32);
        System.arraycopy(v, 0, v, seqLen * 32, seqLen * 32);
        int[] docs = new int[2 * seqLen];
        docs[seqLen - 1] = 1;
        float[] out = new float[q.length];
        float[] lse = new float[2 * seqLen * 2];
        DocumentMaskedAttention.forward(WorkerPool.serial(), shape, q, k, v, docs, out, lse);
        int n = (seqLen - 1) * 64;
        assertArrayEquals(java.util.Arrays.copyOfRange(out, 0, n), java.util.Arrays.copyOfRange(out, seqLen * 64,
                seqLen * 64 + n));
        assertArrayEquals(java.util.Arrays.copyOfRange(lse, 0, (seqLen - 1) * 2),
                java.util.Arrays.copyOfRange(lse, seqLen * 2, seqLen * 2 + (seqLen - 1) * 2));
    }

    @Test
    void attendOneReproducesEveryQueryOfTheForwardPassBitForBit() {
        // one document of 70 at head dim 32 (queries paired) and 8 (one at a time): the one-query path a
        // KV-cached generator uses must give the forward pass's bits
        for (int hd : new int[] {32, 8}) {
            int seqLen = 70;
            var shape = new DocumentMaskedAttention.Shape(1, seqLen, 4, 2, hd);
            SplittableRandom r = new SplittableRandom(hd);
            float[] q = GradCheck.randn(r, seqLen * 4 * hd, 1);
            float[] k = GradCheck.randn(r, seqLen * 2 * hd, 1);
            float[] v = GradCheck.randn(r, seqLen * 2 * hd, 1);
            float[] out = new float[q.length];
            DocumentMaskedAttention.forward(WorkerPool.serial(), shape, q, k, v, new int[seqLen], out,
                    new float[seqLen * 4]);
            float[] one = new float[q.length];
            for (int t = 0; t < seqLen; t++) {
                for (int h = 0; h < 4; h++) {
                    int qOff = (t * 4 + h) * hd;
                    DocumentMaskedAttention.attendOne(q, qOff, k, v, (h / 2) * hd, 2 * hd, t + 1, hd, one, qOff);
                }
            }
            assertArrayEquals(out, one, "head dim " + hd);
        }
    }

    /** Max |got − expected| ≤ 1e-5·max|expected| (float rounding of O(T)-term sums). */
    private static void assertClose(String what, double[] expected, float[] got) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        org.junit.jupiter.api.Assertions.assertTrue(maxDiff <= 1e-5 * maxRef, what + ": max diff " + maxDiff
                + " vs max " + maxRef);
    }

    /** {out, dQ, dK, dV} of loss Σ out·probe, straight from the definition in double. */
    private static double[][] reference(DocumentMaskedAttention.Shape s, float[] q, float[] k, float[] v, int[] docs,
                                        float[] probe) {
        int hd = s.headDim();
        int qw = s.heads() * hd;
        int kw = s.kvHeads() * hd;
        double scale = 1 / Math.sqrt(hd);
        double[] out = new double[q.length];
        double[] dq = new double[q.length];
        double[] dk = new double[k.length];
        double[] dv = new double[v.length];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                int kvh = h / (s.heads() / s.kvHeads());
                for (int t = 0; t < s.seqLen(); t++) {
                    int qi = (b * s.seqLen() + t) * qw + h * hd;
                    double[] p = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= t; j++) {
                        p[j] = Double.NEGATIVE_INFINITY;
                        if (docs[b * s.seqLen() + j] == docs[b * s.seqLen() + t]) {
                            double dot = 0;
                            for (int d = 0; d < hd; d++) {
                                dot += (double) q[qi + d] * k[(b * s.seqLen() + j) * kw + kvh * hd + d];
                            }
                            p[j] = dot * scale;
                        }
                        max = Math.max(max, p[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= t; j++) {
                        p[j] = Math.exp(p[j] - max);
                        sum += p[j];
                    }
                    double[] dp = new double[t + 1];
                    double dDotO = 0;
                    for (int j = 0; j <= t; j++) {
                        p[j] /= sum;
                        int vi = (b * s.seqLen() + j) * kw + kvh * hd;
                        for (int d = 0; d < hd; d++) {
                            out[qi + d] += p[j] * v[vi + d];
                            dv[vi + d] += p[j] * probe[qi + d];
                            dp[j] += (double) probe[qi + d] * v[vi + d];
                        }
                        dDotO += p[j] * dp[j];
                    }
                    for (int j = 0; j <= t; j++) {
                        double dS = p[j] * (dp[j] - dDotO) * scale;
                        int ki = (b * s.seqLen() + j) * kw + kvh * hd;
                        for (int d = 0; d < hd; d++) {
                            dq[qi + d] += dS * k[ki + d];
                            dk[ki + d] += dS * q[qi + d];
                        }
                    }
                }
            }
        }
        return new double[][] {out, dq, dk, dv};
    }
}
