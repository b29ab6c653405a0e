package org.llama3j.eval.scaling;

/**
 * Accuracy as a function of negative log-likelihood, the second step of Llama 3's two-step
 * prediction (Dubey et al. 2024, section 3.2.1, Figure 4): acc = floor + (1 − floor) / (1 + e^{k(x − x0)}),
 * with the floor fixed at chance (1 / number of choices) and the ceiling at 1; k > 0 so accuracy
 * falls as NLL rises. Fitted by Levenberg–Marquardt on squared error.
 */
public record Sigmoid(double floor, double slope, double midpoint) {

    public double at(double x) {
        return floor + (1 - floor) / (1 + Math.exp(slope * (x - midpoint)));
    }

    public static Sigmoid fit(double[] x, double[] y, double floor) {
        int n = x.length;
        if (n < 2 || y.length != n) {
            throw new IllegalArgumentException("a sigmoid needs at least 2 points, got " + n);
        }
        // start from the logit-linear least squares: ln((1-floor)/(y-floor) - 1) = k·x - k·x0
        double[] z = new double[n];
        double eps = 1e-3;
        for (int i = 0; i < n; i++) {
            double yi = Math.min(1 - eps, Math.max(floor + eps, y[i]));
            z[i] = Math.log((1 - floor) / (yi - floor) - 1);
        }
        double mx = 0;
        double mz = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i] / n;
            mz += z[i] / n;
        }
        double sxz = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxz += (x[i] - mx) * (z[i] - mz);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double k = sxx > 0 && sxz != 0 ? sxz / sxx : 1;
        double x0 = mx - mz / k;
        double lambda = 1e-3;
        double err = sse(x, y, floor, k, x0);
        for (int iter = 0; iter < 500; iter++) {
            // Jacobian of the residuals r_i = y_i - f(x_i) with respect to (k, x0), and J^T J, J^T r
            double a11 = 0, a12 = 0, a22 = 0, g1 = 0, g2 = 0;
            for (int i = 0; i < n; i++) {
                double e = Math.exp(k * (x[i] - x0));
                double f = floor + (1 - floor) / (1 + e);
                double common = (1 - floor) * e / ((1 + e) * (1 + e));
                double dk = -common * (x[i] - x0);
                double dx0 = common * k;
                double r = y[i] - f;
                a11 += dk * dk;
                a12 += dk * dx0;
                a22 += dx0 * dx0;
                g1 += dk * r;
                g2 += dx0 * r;
            }
            double m11 = a11 * (1 + lambda);
            double m22 = a22 * (1 + lambda);
            double det = m11 * m22 - a12 * a12;
            if (!(Math.abs(det) > 1e-300)) {
                break;
            }
            double sk = (m22 * g1 - a12 * g2) / det;
            double sx = (m11 * g2 - a12 * g1) / det;
            double next = sse(x, y, floor, k + sk, x0 + sx);
            if (next < err) {
                k += sk;
                x0 += sx;
                lambda = Math.max(lambda / 10, 1e-12);
                boolean done = err - next < 1e-15 * Math.max(err, 1e-30);
                err = next;
                if (done) {
                    break;
                }
            } else {
                lambda *= 10;
                if (lambda > 1e12) {
                    break;
                }
            }
        }
        return new Sigmoid(floor, k, x0);
    }

    private static double sse(double[] x, double[] y, double floor, double k, double x0) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double d = y[i] - (floor + (1 - floor) / (1 + Math.exp(k * (x[i] - x0))));
            s += d * d;
        }
        return s;
    }
}
