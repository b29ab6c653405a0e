package org.llama3j.train.layers;

/**
 * Llama 3.1 RoPE frequency scaling ("llama3" rope_type): frequencies whose wavelength exceeds
 * {@code originalContext / lowFreqFactor} are divided by {@code factor}, those shorter than
 * {@code originalContext / highFreqFactor} are kept, and the band between is interpolated
 * linearly in {@code originalContext / wavelength}. Source: Meta {@code llama-models}
 * {@code models/llama3/reference_impl/model.py} {@code apply_scaling}; Llama 3.1 ships
 * factor 8, low 1, high 4, original context 8192.
 */
public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor,
                          int originalContext) {

    /** The values of Llama 3.1's {@code params.json} / {@code rope_scaling}. */
    public static final RopeScaling LLAMA_3_1 = new RopeScaling(8.0, 1.0, 4.0, 8192);

    public RopeScaling {
        if (!(factor >= 1.0) || !(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor)
                || originalContext <= 0) {
            throw new IllegalArgumentException("RopeScaling needs factor >= 1, 0 < lowFreqFactor < "
                    + "highFreqFactor, originalContext > 0; got factor=" + factor + " low=" + lowFreqFactor
                    + " high=" + highFreqFactor + " originalContext=" + originalContext);
        }
    }

    /** The scaled version of one inverse frequency (radians per position). */
    public double scale(double invFreq) {
        double lowFreqWavelen = originalContext / lowFreqFactor;
        double highFreqWavelen = originalContext / highFreqFactor;
        double wavelen = 2 * Math.PI / invFreq;
        if (wavelen < highFreqWavelen) {
            return invFreq;
        }
        if (wavelen > lowFreqWavelen) {
            return invFreq / factor;
        }
        double smooth = (originalContext / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (1 - smooth) * invFreq / factor + smooth * invFreq;
    }
}
