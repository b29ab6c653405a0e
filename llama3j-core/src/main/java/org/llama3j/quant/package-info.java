/**
 * Block codecs: float conversion for each ggml storage type, one class per type behind
 * {@link org.llama3j.quant.BlockCodec}, looked up with {@link org.llama3j.quant.BlockCodecs#of}.
 * Layouts and formulas follow ggml-common.h and ggml-quants.c; the quantizers (F16, BF16, Q8_0,
 * Q4_0) reproduce ggml's reference {@code quantize_row_*_ref} bytes (checked against llama-quantize
 * output in the tests).
 */
package org.llama3j.quant;
