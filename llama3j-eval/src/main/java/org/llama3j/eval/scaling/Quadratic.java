package org.llama3j.eval.scaling;

/**
 * y = a·x² + b·x + c fitted by least squares (normal equations on x centred at its mean, so the
 * 3×3 system stays well conditioned). An IsoFLOP curve is this in x = ln N (Hoffmann et al. 2022,
 * "Training Compute-Optimal Large Language Models", approach 2; Llama 3 section 3.2.1, Figure 2).
 */
public record Quadratic(double a, double b, double c) {

    public static Quadratic fit(double[] x, double[] y) {
        int n = x.length;
        if (n < 3 || y.length != n) {
            throw new IllegalArgumentException("a parabola needs at least 3 points, got " + n);
        }
        double mean = 0;
        for (double v : x) {
            mean += v / n;
        }
        double[][] m = new double[3][4];
        for (int i = 0; i < n; i++) {
            double u = x[i] - mean;
            double[] basis = {u * u, u, 1};
            for (int r = 0; r < 3; r++) {
                for (int col = 0; col < 3; col++) {
                    m[r][col] += basis[r] * basis[col];
                }
                m[r][3] += basis[r] * y[i];
            }
        }
        double[] s = Linear.solve(m);
        // back from u = x - mean: a u² + b u + c = a x² + (b - 2 a mean) x + (a mean² - b mean + c)
        return new Quadratic(s[0], s[1] - 2 * s[0] * mean, s[0] * mean * mean - s[1] * mean + s[2]);
    }

    public double at(double x) {
        return (a * x + b) * x + c;
    }

    /** The x of the minimum; only meaningful when {@link #convex()}. */
    public double vertex() {
        return -b / (2 * a);
    }

    public boolean convex() {
        return a > 0;
    }
}
