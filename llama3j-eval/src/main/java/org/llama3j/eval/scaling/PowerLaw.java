package org.llama3j.eval.scaling;

/**
 * y = A·x^α, fitted by least squares on ln y = ln A + α ln x — the form of the compute-optimal
 * size and token laws N*(C) = A·C^α (Llama 3 section 3.2.1: α = 0.53, A = 0.29 for tokens;
 * Hoffmann et al. 2022: a ≈ b ≈ 0.5).
 */
public record PowerLaw(double coefficient, double exponent) {

    public static PowerLaw fit(double[] x, double[] y) {
        int n = x.length;
        if (n < 2 || y.length != n) {
            throw new IllegalArgumentException("a power law needs at least 2 points, got " + n);
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            if (!(x[i] > 0) || !(y[i] > 0)) {
                throw new IllegalArgumentException("power-law points must be positive: (" + x[i] + ", " + y[i] + ")");
            }
            mx += Math.log(x[i]) / n;
            my += Math.log(y[i]) / n;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(x[i]) - mx;
            sxy += dx * (Math.log(y[i]) - my);
            sxx += dx * dx;
        }
        if (sxx == 0) {
            throw new IllegalArgumentException("power-law points all have the same x");
        }
        double slope = sxy / sxx;
        return new PowerLaw(Math.exp(my - slope * mx), slope);
    }

    public double at(double x) {
        return coefficient * Math.pow(x, exponent);
    }
}
