package org.llama3j.data.dedup;

import java.util.List;
import java.util.Random;

/**
 * k-means on unit vectors with cosine similarity (spherical k-means, Dhillon &amp; Modha 2001), seeded with
 * k-means++ (Arthur &amp; Vassilvitskii 2007) from a fixed seed, so the clustering is deterministic.
 */
public final class SphericalKMeans {

    private SphericalKMeans() {
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** Cluster index of every point. */
    public static int[] assign(List<float[]> points, int k, int iterations, long seed) {
        int n = points.size();
        int[] labels = new int[n];
        if (n == 0) {
            return labels;
        }
        k = Math.min(k, n);
        int dim = points.getFirst().length;
        float[][] centers = new float[k][];
        Random r = new Random(seed);
        centers[0] = points.get(r.nextInt(n)).clone();
        double[] d2 = new double[n];
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                double best = Double.MAX_VALUE;
                for (int j = 0; j < c; j++) {
                    best = Math.min(best, Math.max(0, 1 - dot(points.get(i), centers[j])));
                }
                d2[i] = best * best;
                total += d2[i];
            }
            int pick = 0;
            if (total > 0) {
                double u = r.nextDouble() * total;
                while (pick < n - 1 && (u -= d2[pick]) > 0) {
                    pick++;
                }
            } else {
                pick = r.nextInt(n);
            }
            centers[c] = points.get(pick).clone();
        }
        for (int it = 0; it < iterations; it++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bestSim = -2;
                for (int c = 0; c < k; c++) {
                    double s = dot(points.get(i), centers[c]);
                    if (s > bestSim) {
                        bestSim = s;
                        best = c;
                    }
                }
                changed |= labels[i] != best || it == 0;
                labels[i] = best;
            }
            if (!changed) {
                break;
            }
            float[][] sums = new float[k][dim];
            for (int i = 0; i < n; i++) {
                float[] p = points.get(i);
                for (int d = 0; d < dim; d++) {
                    sums[labels[i]][d] += p[d];
                }
            }
            for (int c = 0; c < k; c++) {
                double norm = Math.sqrt(dot(sums[c], sums[c]));
                if (norm > 0) {
                    for (int d = 0; d < dim; d++) {
                        sums[c][d] /= (float) norm;
                    }
                    centers[c] = sums[c];
                }
            }
        }
        return labels;
    }
}
