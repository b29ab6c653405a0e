package org.llama3j.data.embed;

import java.io.Serializable;

/** Maps a text to a unit-length vector; texts with similar meaning get a high dot product. */
public interface TextEmbedder extends Serializable {

    float[] embed(String text);

    /** Scales {@code v} to unit L2 norm in place (the zero vector stays zero) and returns it. */
    static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum > 0) {
            float inv = (float) (1 / Math.sqrt(sum));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }
}
