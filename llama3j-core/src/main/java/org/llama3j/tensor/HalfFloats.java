package org.llama3j.tensor;

/**
 * Conversions between {@code float} and the two 16-bit float formats ggml stores: IEEE binary16
 * ("F16") and bfloat16 ("BF16"). Values travel as the raw 16 bits in a {@code short}.
 */
public final class HalfFloats {
    private HalfFloats() {
    }

    /** IEEE binary16 bits to float (exact). */
    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /**
     * Float to IEEE binary16 bits, rounding to nearest even: what ggml's {@code GGML_FP32_TO_FP16}
     * does (F16C {@code _cvtss_sh(x, 0)} or its portable fallback) and what numpy's
     * {@code astype(float16)} does, so quantized scales match ggml bit for bit.
     */
    public static short floatToF16(float value) {
        return Float.floatToFloat16(value);
    }

    /** bfloat16 bits to float (exact: bfloat16 is the top half of a float). */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * Float to bfloat16 bits as ggml's {@code ggml_compute_fp32_to_bf16} (ggml-impl.h) does:
     * NaN keeps its top bits and is forced quiet (bit 6 of the result set); everything else
     * rounds to nearest even, so large finite values may round to infinity.
     */
    public static short floatToBf16(float value) {
        int u = Float.floatToRawIntBits(value);
        if ((u & 0x7fffffff) > 0x7f800000) {
            return (short) ((u >>> 16) | 64);
        }
        return (short) ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16);
    }
}
