package org.llama3j.format.hf;

/**
 * The {@code rope_scaling} object of an HF config. For {@code type} "llama3" (Llama 3.1+, HF
 * {@code _compute_llama3_parameters}) all fields are set; for other types only {@code factor} is
 * meaningful and the llama3 fields are 0.
 */
public record HfRopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                            int originalMaxPositionEmbeddings) {

    public static final String LLAMA3 = "llama3";

    public boolean isLlama3() {
        return LLAMA3.equals(type);
    }
}
