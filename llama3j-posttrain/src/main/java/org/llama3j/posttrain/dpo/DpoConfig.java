package org.llama3j.posttrain.dpo;

/**
 * DPO hyper-parameters (Rafailov et al. 2023, sigmoid loss) with Llama 3's two additions
 * (Llama 3 paper §4.1.4): masking of formatting tokens and an NLL term on the chosen reply.
 *
 * @param beta             β of the implicit reward (Llama 3: 0.1)
 * @param nllWeight        weight of the chosen reply's mean token NLL (Llama 3: 0.2; 0 disables it)
 * @param maskFormatTokens leave the template's special tokens (header, {@code <|eot_id|>}) out of both replies
 */
public record DpoConfig(double beta, double nllWeight, boolean maskFormatTokens) {

    public static final DpoConfig LLAMA3 = new DpoConfig(0.1, 0.2, true);

    public DpoConfig {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("dpo beta must be > 0, got " + beta);
        }
        if (!(nllWeight >= 0)) {
            throw new IllegalArgumentException("dpo nllWeight must be >= 0, got " + nllWeight);
        }
    }
}
