package org.llama3j.model;

/**
 * Llama 3.1/3.2 rotary-embedding frequency scaling ("llama3" rope type), as Meta's reference
 * {@code apply_scaling} (llama-models {@code models/llama3/reference_impl/model.py}) and Hugging
 * Face's {@code rope_type: llama3}: wavelengths shorter than {@code original/highFreqFactor} keep
 * their frequency, longer than {@code original/lowFreqFactor} are divided by {@code factor}, and
 * those between are blended linearly in inverse wavelength.
 *
 * <p>Never hard-coded: Llama 3.1 uses factor 8, Llama 3.2 1B/3B factor 32, both with low 1, high 4,
 * original 8192 — read from {@code config.json} or recovered from a GGUF {@code rope_freqs} tensor.
 */
public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalContextLength) {

    public RopeScaling {
        if (!(factor > 0) || !(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor) || originalContextLength <= 0) {
            throw new IllegalArgumentException("invalid llama3 rope scaling: factor=" + factor + " low_freq_factor="
                    + lowFreqFactor + " high_freq_factor=" + highFreqFactor + " original_max_position_embeddings="
                    + originalContextLength);
        }
    }

    /**
     * The divisor of each rotary frequency {@code i} in {@code [0, headDim/2)}: the GGUF
     * {@code rope_freqs} convention, {@code scaled_freq = base_freq / divisor}.
     */
    public float[] frequencyDivisors(int headDim, double theta) {
        float[] div = new float[headDim / 2];
        double lowWavelen = originalContextLength / lowFreqFactor;
        double highWavelen = originalContextLength / highFreqFactor;
        for (int i = 0; i < div.length; i++) {
            double freq = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
            double wavelen = 2 * Math.PI / freq;
            double scaled;
            if (wavelen < highWavelen) {
                scaled = freq;
            } else if (wavelen > lowWavelen) {
                scaled = freq / factor;
            } else {
                double smooth = (originalContextLength / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                scaled = (1 - smooth) * freq / factor + smooth * freq;
            }
            div[i] = (float) (freq / scaled);
        }
        return div;
    }
}
