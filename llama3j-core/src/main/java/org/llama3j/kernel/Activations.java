package org.llama3j.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A batch of input vectors for matrix multiplications, with the derived forms each weight type's
 * dot product wants computed once and cached: the same normalised input feeds the Q, K and V
 * projections (and the gate and up projections), whatever their types.
 *
 * <p>The derived forms follow llama.cpp's CPU backend ({@code ggml-cpu.c} {@code type_traits_cpu[].vec_dot_type}):
 * F16 weights multiply activations rounded to F16, BF16 weights activations rounded to BF16, and
 * Q8_0/Q4_0 weights activations quantized to Q8_0 blocks. Doing the same keeps our logits within
 * rounding noise of llama.cpp's.
 *
 * <p>Buffers grow as needed and are reused: no allocation per token once warmed up. The derived
 * forms are computed lazily by whichever worker of a parallel kernel asks first; the accessors
 * are synchronized so that the others wait for it instead of racing on the shared buffers.
 */
public final class Activations {
    /** Q8_0 block size (ggml-common.h {@code QK8_0}). */
    public static final int Q8_BLOCK = 32;

    private float[] x = new float[0];
    private int tokens;
    private int n;

    private float[] f16 = new float[0];
    private boolean f16Valid;
    private float[] bf16 = new float[0];
    private boolean bf16Valid;
    private byte[] q8 = new byte[0];
    private float[] q8Scales = new float[0];
    private boolean q8Valid;
    private final Q8KActivations q8K = new Q8KActivations();
    private boolean q8KValid;
    private float[] q8Dequantized = new float[0];
    private boolean q8DequantizedValid;
    private final AlignedCopy q8DequantizedAligned = new AlignedCopy();
    private final AlignedCopy f16Aligned = new AlignedCopy();
    private final AlignedCopy bf16Aligned = new AlignedCopy();
    private final AlignedCopy f32Aligned = new AlignedCopy();
    private MemorySegment q8Interleaved = MemorySegment.NULL;
    private boolean q8InterleavedValid;
    private MemorySegment q8KInterleaved = MemorySegment.NULL;
    private float[] q8KBlockScales = new float[0];
    private boolean q8KInterleavedValid;
    private int[] q8Pairs = new int[0];
    private float[] q8PairScales = new float[0];
    private boolean q8PairsValid;
    private int[] q8KPairs = new int[0];
    private float[] q8KPairScales = new float[0];
    private float[] q8KPairSums = new float[0];
    private boolean q8KPairsValid;

    /** Wraps {@code tokens} vectors of length {@code n} stored contiguously in {@code x} (not copied). */
    public Activations set(float[] x, int tokens, int n) {
        if ((long) tokens * n > x.length) {
            throw new IllegalArgumentException(tokens + " x " + n + " activations exceed buffer of " + x.length);
        }
        this.x = x;
        this.tokens = tokens;
        this.n = n;
        f16Valid = bf16Valid = q8Valid = q8DequantizedValid = q8KValid = false;
        q8DequantizedAligned.valid = f16Aligned.valid = bf16Aligned.valid = f32Aligned.valid = false;
        q8InterleavedValid = q8KInterleavedValid = q8PairsValid = q8KPairsValid = false;
        return this;
    }

    public int tokens() {
        return tokens;
    }

    public int length() {
        return n;
    }

    /** The raw F32 inputs: token {@code t} starts at {@code t * length()}. */
    public float[] floats() {
        return x;
    }

    /** Inputs rounded to F16 precision (held as floats). */
    public synchronized float[] roundedToF16() {
        if (!f16Valid) {
            f16 = ensure(f16, tokens * n);
            for (int i = 0, m = tokens * n; i < m; i++) {
                f16[i] = Float.float16ToFloat(Float.floatToFloat16(x[i]));
            }
            f16Valid = true;
        }
        return f16;
    }

    /** Inputs rounded to BF16 precision (held as floats). */
    public synchronized float[] roundedToBF16() {
        if (!bf16Valid) {
            bf16 = ensure(bf16, tokens * n);
            for (int i = 0, m = tokens * n; i < m; i++) {
                bf16[i] = Bf16.toFloat(Bf16.fromFloat(x[i]));
            }
            bf16Valid = true;
        }
        return bf16;
    }

    /** Q8_0 quants of the inputs: 32 int8 per block, token-major; see {@link #q8Scales()}. */
    public synchronized byte[] q8Quants() {
        quantizeQ8();
        return q8;
    }

    /** Q8_0 block scales (F16-rounded, as ggml stores them): {@code length()/32} per token. */
    public synchronized float[] q8Scales() {
        quantizeQ8();
        return q8Scales;
    }

    /**
     * The Q8_0 activations dequantized ({@code q · d} per element, exact in float: a 7-bit integer
     * times an F16 scale): what the Q8_0/Q4_0 vector kernels and the matrix–matrix kernels multiply.
     */
    public synchronized float[] q8Dequantized() {
        if (!q8DequantizedValid) {
            quantizeQ8();
            q8Dequantized = ensure(q8Dequantized, tokens * n);
            float[] out = q8Dequantized;
            byte[] quants = q8;
            float[] scales = q8Scales;
            Parallel.forRange(tokens * n / Q8_BLOCK, 256, (from, to) -> {
                for (int i = from * Q8_BLOCK, m = to * Q8_BLOCK; i < m; i++) {
                    out[i] = quants[i] * scales[i / Q8_BLOCK];
                }
            });
            q8DequantizedValid = true;
        }
        return q8Dequantized;
    }

    /*
     * The forms below are copies in off-heap memory aligned to 64 bytes, for the one-token kernels:
     * they load each activation vector once per weight row, and a heap array's vectors straddle
     * cache lines or not depending on where the array happens to lie (and on every GC move), which
     * made Q8_0 decode speed differ by 25% from one JVM run to the next (bench/RESULTS.md).
     */

    /** {@link #q8Dequantized()}, 64-byte aligned off-heap. */
    public synchronized MemorySegment q8DequantizedAligned() {
        return q8DequantizedAligned.of(q8Dequantized(), tokens * n);
    }

    /** {@link #roundedToF16()}, 64-byte aligned off-heap. */
    public synchronized MemorySegment roundedToF16Aligned() {
        return f16Aligned.of(roundedToF16(), tokens * n);
    }

    /** {@link #roundedToBF16()}, 64-byte aligned off-heap. */
    public synchronized MemorySegment roundedToBF16Aligned() {
        return bf16Aligned.of(roundedToBF16(), tokens * n);
    }

    /** {@link #floats()}, 64-byte aligned off-heap. */
    public synchronized MemorySegment floatsAligned() {
        return f32Aligned.of(x, tokens * n);
    }

    /** The Q8_0 activations transposed for {@link InterleavedMatrix}'s kernels, 64-byte aligned off-heap. */
    synchronized MemorySegment q8Interleaved() {
        if (!q8InterleavedValid) {
            quantizeQ8();
            long bytes = InterleavedMatrix.activationBytes(tokens, n);
            if (q8Interleaved.byteSize() < bytes) {
                q8Interleaved = Arena.ofAuto().allocate(bytes, 64);
            }
            InterleavedMatrix.interleaveActivations(q8, q8Scales, tokens, n, q8Interleaved);
            q8InterleavedValid = true;
        }
        return q8Interleaved;
    }

    /**
     * The Q8_K activations ({@link #q8K}) transposed as {@link #q8Interleaved} is, each 32-element
     * block carrying its super-block's scale: the input of the K-quant copies ({@link KQuantInterleaved}).
     */
    synchronized MemorySegment q8KInterleaved() {
        if (!q8KInterleavedValid) {
            Q8KActivations k = q8K();
            int blocks = tokens * n / Q8_BLOCK;
            q8KBlockScales = ensure(q8KBlockScales, blocks);
            for (int b = 0; b < blocks; b++) {
                q8KBlockScales[b] = k.scales[b / (Q8KActivations.QK_K / Q8_BLOCK)];
            }
            long bytes = InterleavedMatrix.activationBytes(tokens, n);
            if (q8KInterleaved.byteSize() < bytes) {
                q8KInterleaved = Arena.ofAuto().allocate(bytes, 64);
            }
            InterleavedMatrix.interleaveActivations(k.quants, q8KBlockScales, tokens, n, q8KInterleaved);
            q8KInterleavedValid = true;
        }
        return q8KInterleaved;
    }

    /** A grow-only aligned buffer holding a copy of one derived form while it is valid. */
    private static final class AlignedCopy {
        private MemorySegment segment = MemorySegment.NULL;
        private boolean valid;

        MemorySegment of(float[] src, int count) {
            if (!valid) {
                if (segment.byteSize() < 4L * count) {
                    segment = Arena.ofAuto().allocate(4L * count, 64);
                }
                MemorySegment.copy(src, 0, segment, ValueLayout.JAVA_FLOAT, 0, count);
                valid = true;
            }
            return segment;
        }
    }

    /** The inputs quantized to Q8_K blocks of 256 (for K-quant weights); see {@link Q8KActivations}. */
    synchronized Q8KActivations q8K() {
        if (!q8KValid) {
            q8K.quantize(x, tokens, n);
            q8KValid = true;
        }
        return q8K;
    }

    /**
     * The Q8_0 quants as {@link NibblePairGemm} reads them: per token, element pairs {@code (2k, 2k + 1)} in one
     * int (low half, high half), so one 32-bit broadcast is a vector of 16-bit pairs; tokens padded with zeros
     * to whole tiles of {@link NibblePairGemm#TILE}. {@link #q8PairScales} holds the matching block scales.
     */
    synchronized int[] q8Pairs() {
        if (!q8PairsValid) {
            quantizeQ8();
            int padded = paddedTokens();
            int blocks = n / Q8_BLOCK;
            q8Pairs = pairs(q8, q8Pairs);
            q8PairScales = ensure(q8PairScales, padded * blocks);
            System.arraycopy(q8Scales, 0, q8PairScales, 0, tokens * blocks);
            java.util.Arrays.fill(q8PairScales, tokens * blocks, padded * blocks, 0f);
            q8PairsValid = true;
        }
        return q8Pairs;
    }

    /**
     * The Q8_K quants ({@link #q8K}) as {@link NibblePairGemm} reads them, like {@link #q8Pairs}; per token and
     * 32-element sub-block, {@link #q8KPairScales} holds its super-block's {@code d} and {@link #q8KPairSums}
     * {@code d·Σx} (from the block sums of 16), the factor of Q4_K's minimums.
     */
    synchronized int[] q8KPairs() {
        if (!q8KPairsValid) {
            Q8KActivations k = q8K();
            int padded = paddedTokens();
            int blocks = n / Q8_BLOCK;
            q8KPairs = pairs(k.quants, q8KPairs);
            q8KPairScales = ensure(q8KPairScales, padded * blocks);
            q8KPairSums = ensure(q8KPairSums, padded * blocks);
            int perSuper = Q8KActivations.QK_K / Q8_BLOCK;
            for (int b = 0; b < padded * blocks; b++) {
                int superBlock = b / perSuper;
                boolean real = b < tokens * blocks;
                float d = real ? k.scales[superBlock] : 0f;
                int sums = real ? k.bsums[2 * b] + k.bsums[2 * b + 1] : 0;
                q8KPairScales[b] = d;
                q8KPairSums[b] = d * sums;
            }
            q8KPairsValid = true;
        }
        return q8KPairs;
    }

    /** The super-block scale of each sub-block of {@link #q8KPairs}, padding tokens zero. */
    synchronized float[] q8KPairScales() {
        q8KPairs();
        return q8KPairScales;
    }

    /** {@code d·Σx} of each sub-block of {@link #q8KPairs}, padding tokens zero. */
    synchronized float[] q8KPairSums() {
        q8KPairs();
        return q8KPairSums;
    }

    /** Tokens rounded up to whole tiles of {@link NibblePairGemm#TILE}. */
    private int paddedTokens() {
        return (tokens + NibblePairGemm.TILE - 1) / NibblePairGemm.TILE * NibblePairGemm.TILE;
    }

    /** {@code quants} (token-major, n per token) as element pairs per int, padding tokens zero, into {@code into} if it fits. */
    private int[] pairs(byte[] quants, int[] into) {
        int padded = paddedTokens();
        int half = n / 2;
        int[] out = into.length >= padded * half ? into : new int[padded * half];
        Parallel.forRange(padded, 4, (from, to) -> {
            for (int t = from; t < to; t++) {
                for (int k = 0, o = t * half, i = t * n; k < half; k++, o++, i += 2) {
                    out[o] = t < tokens ? (quants[i] & 0xffff) | (quants[i + 1] << 16) : 0;
                }
            }
        });
        return out;
    }

    /** The block scales of {@link #q8Pairs}, token-major, padding tokens zero. */
    synchronized float[] q8PairScales() {
        q8Pairs();
        return q8PairScales;
    }

    private void quantizeQ8() {
        if (q8Valid) {
            return;
        }
        if (n % Q8_BLOCK != 0) {
            throw new IllegalStateException("Q8_0 activations need a length divisible by 32, got " + n);
        }
        int blocks = tokens * n / Q8_BLOCK;
        q8 = ensure(q8, tokens * n);
        q8Scales = ensure(q8Scales, blocks);
        byte[] quants = q8;
        float[] scales = q8Scales;
        float[] in = x;
        // split between the workers when called outside them (MatMul.prepare); inline within a worker
        Parallel.forRange(blocks, 256, (from, to) -> {
            for (int b = from; b < to; b++) {
                int base = b * Q8_BLOCK;
                float amax = 0f;
                for (int j = 0; j < Q8_BLOCK; j++) {
                    amax = Math.max(amax, Math.abs(in[base + j]));
                }
                // ggml-cpu quantize_row_q8_0 (SIMD path): d = amax/127 stored as F16, q = round-half-even(x * 127/amax).
                float d = amax / 127f;
                float id = amax != 0f ? 127f / amax : 0f;
                scales[b] = Float.float16ToFloat(Float.floatToFloat16(d));
                for (int j = 0; j < Q8_BLOCK; j++) {
                    quants[base + j] = (byte) Math.rint(in[base + j] * id);
                }
            }
        });
        q8Valid = true;
    }

    private static float[] ensure(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }

    private static byte[] ensure(byte[] a, int size) {
        return a.length >= size ? a : new byte[size];
    }
}
