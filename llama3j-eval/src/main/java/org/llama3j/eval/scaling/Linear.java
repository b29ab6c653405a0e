package org.llama3j.eval.scaling;

/** Small dense linear algebra for the fits. */
final class Linear {
    private Linear() {
    }

    /** Solves the n×(n+1) augmented system by Gaussian elimination with partial pivoting. */
    static double[] solve(double[][] augmented) {
        int n = augmented.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = augmented[i].clone();
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            if (Math.abs(m[pivot][col]) < 1e-300) {
                throw new IllegalArgumentException("singular system (points too few or all at the same x)");
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int k = col; k <= n; k++) {
                    m[r][k] -= f * m[col][k];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int k = r + 1; k < n; k++) {
                s -= m[r][k] * x[k];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }
}
