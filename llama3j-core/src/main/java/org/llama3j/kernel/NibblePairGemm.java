package org.llama3j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Prefill GEMM for 4-bit weights (Q4_0 × Q8_0 activations, Q4_K × Q8_K) on 16-bit integer lanes, from the
 * weights' interleaved copy.
 *
 * <p>Why: the F32 GEMM ({@link PackedGemm}) runs at this machine's FMA peak (one 16-lane FMA per cycle on Zen 4,
 * about 110 GFLOP/s per core), and llama.cpp's int8 paths do more. The Vector API has no int8 dot product, but a
 * 16-bit multiply and a 16-bit add go to different pipes and each handles 32 lanes: per 32 multiply-adds two
 * operations against one 16-lane FMA per 16. A 32-element block of nibbles fits: a lane sums 16 products
 * {@code |(q − 8)·x| ≤ 8·127}, at most 16,256.
 *
 * <p>Layout: a lane pair holds one weight row's elements {@code 2k} and {@code 2k + 1} ({@link InterleavedMatrix#packPairs},
 * 32 rows a panel, 16 rows a vector), and a token's activation pair {@code (x₂ₖ, x₂ₖ₊₁)} is one 32-bit broadcast
 * ({@link Activations#q8Pairs}, {@link Activations#q8KPairs}). The micro-kernel is {@link #TILE} tokens × 32 rows:
 * per pair of elements two panel loads and six broadcasts feed twelve 16-bit multiplies and adds; per block each
 * lane pair's two sums are added as 32-bit integers (exact), converted, and scaled by the row's and the token's
 * block scales ({@code d}; Q4_K: {@code d·sc} and the super-block's {@code d}) into float accumulators. Q4_K's
 * minimums, {@code (8·d·sc − dmin·m)·d_x·Σx} per sub-block, are one product per block, added per panel
 * ({@link #addMinimums}). A kernel harness (one thread, 32 rows × 2048, data in L2) ran the tile at 144 GOP/s
 * against 111 GFLOP/s for the F32 micro-kernel (bench/RESULTS.md, "Attention and the serial steps of prefill;
 * Q4_0 and Q4_K prefill on 16-bit lanes").
 *
 * <p>Numerics: block sums are exact integers, as in ggml's {@code ggml_vec_dot_q4_0_q8_0} and
 * {@code ggml_vec_dot_q4_K_q8_K}, then scaled and summed in float, block by block.
 */
final class NibblePairGemm {
    /** Tokens per micro-tile. */
    static final int TILE = 6;
    /** Rows per panel: two vectors of 16 rows. */
    static final int PANEL = 32;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_512;

    /** Needs 16 float lanes (and with them 32 short lanes): the panel layout is built for that width. */
    static final boolean AVAILABLE = InterleavedMatrix.AVAILABLE;

    /** Per thread: the pair panel, its block scales, two byte tiles and a group's scales for packing, an edge tile. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        int[] panel = new int[0];
        float[] scales = new float[0];
        float[] bias = new float[0];
        final int[] tile0 = new int[256];
        final int[] tile1 = new int[256];
        final float[] groupScales = new float[32 * InterleavedMatrix.GROUP_BLOCKS];
        final float[] edge = new float[TILE * PANEL];
    }

    private NibblePairGemm() {
    }

    /**
     * {@code out[t·outStride + r] = x[t] · w[r]} for every token and rows {@code [rowFrom, rowTo)} ({@code rowFrom}
     * a multiple of {@link #PANEL}) of a Q4_0 or Q4_K copy: activation pairs ({@link Activations#q8Pairs} or
     * {@link Activations#q8KPairs}), their per-block scales, and for Q4_K per block {@code d_x·Σx} ({@code xBias};
     * null for Q4_0).
     */
    static void multiply(InterleavedMatrix w, int[] pairs, float[] xScales, float[] xBias, int tokens,
                         float[] out, int outStride, int rowFrom, int rowTo) {
        int blocks = w.blocks;
        boolean minimums = xBias != null;
        Scratch s = SCRATCH.get();
        int panelInts = blocks * 16 * PANEL;
        // several panels per pass over the activations, as many as fit half of L2: each pass streams every
        // token's pairs from L3 (512 tokens × 2048 elements: 2 MB). Four panels won 5 of 6 alternating pp512
        // runs against one at 2 threads (by 1-30%: this machine's run-to-run spread is that large)
        int perPass = Math.clamp(PASS_BYTES / (4L * panelInts), 1, MAX_PANELS);
        if (s.panel.length < perPass * panelInts) {
            s.panel = new int[perPass * panelInts];
            s.scales = new float[perPass * blocks * PANEL];
            s.bias = new float[perPass * blocks * PANEL];
        }
        int half = blocks * 16;
        for (int p0 = rowFrom; p0 < rowTo; p0 += perPass * PANEL) {
            int panels = Math.min(perPass, (rowTo - p0 + PANEL - 1) / PANEL);
            for (int p = 0; p < panels; p++) {
                int r0 = p0 + p * PANEL;
                w.packPairs(r0, Math.min(PANEL, rowTo - r0), s.panel, p * panelInts, s.scales, minimums ? s.bias : null,
                        p * blocks * PANEL,
                        s.tile0, s.tile1, s.groupScales);
            }
            for (int t0 = 0; t0 < tokens; t0 += TILE) {
                for (int p = 0; p < panels; p++) {
                    int r0 = p0 + p * PANEL;
                    tile(s.panel, p * panelInts, blocks, pairs, t0 * half, s.scales, p * blocks * PANEL, xScales,
                            t0 * blocks, out, t0 * outStride + r0, outStride, Math.min(PANEL, rowTo - r0),
                            Math.min(TILE, tokens - t0), s.edge);
                }
            }
            if (minimums) {
                for (int p = 0; p < panels; p++) {
                    int r0 = p0 + p * PANEL;
                    addMinimums(s.bias, p * blocks * PANEL, xBias, blocks, tokens, out, r0, outStride,
                            Math.min(PANEL, rowTo - r0), s.edge);
                }
            }
        }
    }

    /**
     * Q4_K's minimums for one panel, {@code out[t·outStride + r0 + r] += Σ_b (8·A − M)[b, r] · (d_x·Σx)[t, b]}:
     * a product with one element per block, 1/32 of the tile's work, kept out of {@link #tile} because a branch
     * for it there made C2 compile the tile with boxed vectors in some JVMs (Q4_K_M pp512 34–42 against 94–98 t/s).
     */
    private static void addMinimums(float[] wBias, int sOff, float[] xSums, int blocks, int tokens, float[] out,
                                    int r0, int outStride, int rows, float[] edge) {
        for (int t = 0; t < tokens; t++) {
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
            for (int b = 0, x = t * blocks; b < blocks; b++, x++) {
                FloatVector c = FloatVector.broadcast(F, xSums[x]);
                a0 = FloatVector.fromArray(F, wBias, sOff + b * 32).fma(c, a0);
                a1 = FloatVector.fromArray(F, wBias, sOff + b * 32 + 16).fma(c, a1);
            }
            a0.intoArray(edge, 0);
            a1.intoArray(edge, 16);
            for (int r = 0, o = t * outStride + r0; r < rows; r++, o++) {
                out[o] += edge[r];
            }
        }
    }

    /** Bytes of packed panels per pass over the activations: half of Zen 4's 1 MB L2. */
    private static final long PASS_BYTES = 512 * 1024;
    private static final int MAX_PANELS = 4;

    /**
     * Six tokens (pairs from {@code a0}, {@code half} ints a token; scales from {@code d0}, {@code blocks} a token)
     * × one panel (from {@code pOff}, its block scales from {@code sOff}); the first {@code tokens} tokens and {@code rows} rows stored at {@code out[o + t·outStride + r]}.
     * No vector is passed to or returned from a call: C2 boxes vectors that cross a call it does not inline.
     */
    static void tile(int[] panel, int pOff, int blocks, int[] pairs, int a0, float[] wScales, int sOff,
                     float[] xScales, int d0, float[] out, int o, int outStride, int rows, int tokens, float[] edge) {
        int half = blocks * 16;
        int a1 = a0 + half, a2 = a1 + half, a3 = a2 + half, a4 = a3 + half, a5 = a4 + half;
        FloatVector f00 = FloatVector.zero(F), f01 = FloatVector.zero(F), f10 = FloatVector.zero(F), f11 = FloatVector.zero(F);
        FloatVector f20 = FloatVector.zero(F), f21 = FloatVector.zero(F), f30 = FloatVector.zero(F), f31 = FloatVector.zero(F);
        FloatVector f40 = FloatVector.zero(F), f41 = FloatVector.zero(F), f50 = FloatVector.zero(F), f51 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            ShortVector s00 = ShortVector.zero(S), s01 = ShortVector.zero(S), s10 = ShortVector.zero(S);
            ShortVector s11 = ShortVector.zero(S), s20 = ShortVector.zero(S), s21 = ShortVector.zero(S);
            ShortVector s30 = ShortVector.zero(S), s31 = ShortVector.zero(S), s40 = ShortVector.zero(S);
            ShortVector s41 = ShortVector.zero(S), s50 = ShortVector.zero(S), s51 = ShortVector.zero(S);
            for (int kp = b * 16, end = kp + 16; kp < end; kp++) {
                ShortVector w0 = IntVector.fromArray(I, panel, pOff + kp * 32).reinterpretAsShorts();
                ShortVector w1 = IntVector.fromArray(I, panel, pOff + kp * 32 + 16).reinterpretAsShorts();
                ShortVector x = IntVector.broadcast(I, pairs[a0 + kp]).reinterpretAsShorts();
                s00 = s00.add(w0.mul(x));
                s01 = s01.add(w1.mul(x));
                x = IntVector.broadcast(I, pairs[a1 + kp]).reinterpretAsShorts();
                s10 = s10.add(w0.mul(x));
                s11 = s11.add(w1.mul(x));
                x = IntVector.broadcast(I, pairs[a2 + kp]).reinterpretAsShorts();
                s20 = s20.add(w0.mul(x));
                s21 = s21.add(w1.mul(x));
                x = IntVector.broadcast(I, pairs[a3 + kp]).reinterpretAsShorts();
                s30 = s30.add(w0.mul(x));
                s31 = s31.add(w1.mul(x));
                x = IntVector.broadcast(I, pairs[a4 + kp]).reinterpretAsShorts();
                s40 = s40.add(w0.mul(x));
                s41 = s41.add(w1.mul(x));
                x = IntVector.broadcast(I, pairs[a5 + kp]).reinterpretAsShorts();
                s50 = s50.add(w0.mul(x));
                s51 = s51.add(w1.mul(x));
            }
            // a lane pair's two 16-bit sums as one 32-bit sum: y = v + (v << 16) carries the low half into the
            // high one, and y >> 16 is their sum (|sum| ≤ 32,512 fits 16 bits); then × (d_w · d_x) into float
            FloatVector dw0 = FloatVector.fromArray(F, wScales, sOff + b * 32);
            FloatVector dw1 = FloatVector.fromArray(F, wScales, sOff + b * 32 + 16);
            int d = d0 + b;
            float x0 = xScales[d], x1 = xScales[d + blocks], x2 = xScales[d + 2 * blocks];
            float x3 = xScales[d + 3 * blocks], x4 = xScales[d + 4 * blocks], x5 = xScales[d + 5 * blocks];
            IntVector v;
            v = s00.reinterpretAsInts();
            f00 = ((FloatVector) v.add(v.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).fma(dw0.mul(x0), f00);
            v = s01.reinterpretAsInts();
            f01 = ((FloatVector) v.add(v.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).fma(dw1.mul(x0), f01);
            v = s10.reinterpretAsInts();
            f10 = ((FloatVector) v.add(v.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).fma(dw0.mul(x1), f10);
            v = s11.reinterpretAsInts();
            f11 = ((FloatVector) v.add(v.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).fma(dw1.mul(x1), f11);
            v = s20.reinterpretAsInts();
            f20 = ((FloatVector) v.add(v.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).fma(dw0.mul(x2), f20);
            v = s21.reinterpretAsInts();
            f21 = ((FloatVector) v.add(v.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).fma(dw1.mul(x2), f21);
            v = s30.reinterpretAsInts();
            f30 = ((FloatVector) v.add(v.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).fma(dw0.mul(x3), f30);
            v = s31.reinterpretAsInts();
            f31 = ((FloatVector) v.add(v.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).fma(dw1.mul(x3), f31);
            v = s40.reinterpretAsInts();
            f40 = ((FloatVector) v.add(v.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).fma(dw0.mul(x4), f40);
            v = s41.reinterpretAsInts();
            f41 = ((FloatVector) v.add(v.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).fma(dw1.mul(x4), f41);
            v = s50.reinterpretAsInts();
            f50 = ((FloatVector) v.add(v.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).fma(dw0.mul(x5), f50);
            v = s51.reinterpretAsInts();
            f51 = ((FloatVector) v.add(v.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).fma(dw1.mul(x5), f51);
        }
        if (rows == PANEL && tokens == TILE) {
            f00.intoArray(out, o);
            f01.intoArray(out, o + 16);
            f10.intoArray(out, o + outStride);
            f11.intoArray(out, o + outStride + 16);
            f20.intoArray(out, o + 2 * outStride);
            f21.intoArray(out, o + 2 * outStride + 16);
            f30.intoArray(out, o + 3 * outStride);
            f31.intoArray(out, o + 3 * outStride + 16);
            f40.intoArray(out, o + 4 * outStride);
            f41.intoArray(out, o + 4 * outStride + 16);
            f50.intoArray(out, o + 5 * outStride);
            f51.intoArray(out, o + 5 * outStride + 16);
            return;
        }
        f00.intoArray(edge, 0);
        f01.intoArray(edge, 16);
        f10.intoArray(edge, 32);
        f11.intoArray(edge, 48);
        f20.intoArray(edge, 64);
        f21.intoArray(edge, 80);
        f30.intoArray(edge, 96);
        f31.intoArray(edge, 112);
        f40.intoArray(edge, 128);
        f41.intoArray(edge, 144);
        f50.intoArray(edge, 160);
        f51.intoArray(edge, 176);
        for (int t = 0; t < tokens; t++) {
            System.arraycopy(edge, t * PANEL, out, o + t * outStride, rows);
        }
    }
}
