package org.llama3j.eval.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fits recover the constants of data generated from known laws. */
class FitsTest {

    @Test
    void parabolaRecoversItsVertexExactly() {
        double[] x = {10, 11, 12, 13, 14};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 0.3 * (x[i] - 12.4) * (x[i] - 12.4) + 2.5;
        }
        Quadratic q = Quadratic.fit(x, y);
        assertEquals(12.4, q.vertex(), 1e-9);
        assertEquals(2.5, q.at(q.vertex()), 1e-9);
        assertEquals(0.3, q.a(), 1e-9);
    }

    /** Llama 3's token law (section 3.2.1: N*(C) = 0.29·C^0.53) with 3% multiplicative noise, 12 budgets. */
    @Test
    void powerLawRecoversLlama3TokenLawWithin2PercentUnderNoise() {
        Random rnd = new Random(1);
        int n = 12;
        double[] c = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = 6e18 * Math.pow(10, i * 0.2);
            y[i] = 0.29 * Math.pow(c[i], 0.53) * Math.exp(0.03 * rnd.nextGaussian());
        }
        PowerLaw p = PowerLaw.fit(c, y);
        assertEquals(0.53, p.exponent(), 0.53 * 0.02);
        PowerLaw exact = PowerLaw.fit(new double[] {1e18, 1e20}, new double[] {0.29 * Math.pow(1e18, 0.53), 0.29 * Math.pow(1e20, 0.53)});
        assertEquals(0.53, exact.exponent(), 1e-12);
        assertEquals(0.29, exact.coefficient(), 1e-9);
    }

    @Test
    void sigmoidRecoversSlopeAndMidpoint() {
        Sigmoid truth = new Sigmoid(0.25, 6.0, 1.1);
        double[] x = new double[15];
        double[] y = new double[15];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.6 + i * 0.07;
            y[i] = truth.at(x[i]);
        }
        Sigmoid fit = Sigmoid.fit(x, y, 0.25);
        assertEquals(6.0, fit.slope(), 6.0 * 0.02);
        assertEquals(1.1, fit.midpoint(), 1.1 * 0.02);
    }

    /**
     * A sweep drawn from Chinchilla's parametric loss L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022,
     * eq. 10: E 1.69, A 406.4, B 410.7, α 0.34, β 0.28), with C = 6ND: the compute-optimal laws are
     * N* ∝ C^{β/(α+β)} = C^0.4516 and D* ∝ C^{α/(α+β)} = C^0.5484 (their eq. 4). Five budgets
     * (1e18–1e22), nine sizes per budget spaced 0.25 decades on a fixed grid (as a real sweep has),
     * those within ±1 decade of each budget's optimum; the IsoFLOP analysis must recover both exponents within 2%.
     */
    @Test
    void isoFlopAnalysisRecoversChinchillaExponentsWithin2Percent() {
        double alpha = 0.34;
        double beta = 0.28;
        double g = Math.pow(alpha * 406.4 / (beta * 410.7), 1 / (alpha + beta));
        List<RunRecord> runs = new ArrayList<>();
        for (double c = 1e18; c <= 1e22 * 1.01; c *= 10) {
            double nOpt = g * Math.pow(c / 6, beta / (alpha + beta));
            for (double logN = 6; logN < 12; logN += 0.25) {
                double nParams = Math.pow(10, logN);
                if (Math.abs(Math.log10(nParams / nOpt)) > 1.0) {
                    continue;
                }
                double d = c / (6 * nParams);
                double loss = 1.69 + 406.4 / Math.pow(nParams, alpha) + 410.7 / Math.pow(d, beta);
                runs.add(new RunRecord("n" + logN, c, new ModelSize(64, 1, 1, 1, 64, 8, 8), (long) nParams, (long) d, c, 1,
                        loss, Double.NaN, Double.NaN, Double.NaN, 0));
            }
        }
        ScalingLaws laws = ScalingLaws.fit(runs, Double.NaN);
        assertEquals(5, laws.curves().size());
        assertEquals(0.4516, laws.nStar().exponent(), 0.4516 * 0.02, "N* exponent " + laws.nStar().exponent());
        assertEquals(0.5484, laws.dStar().exponent(), 0.5484 * 0.02, "D* exponent " + laws.dStar().exponent());
        assertTrue(laws.lossStar().exponent() < 0);
    }

    /** Kaplan et al. Table 1 counts, by hand for a small shape. */
    @Test
    void parameterAndFlopCounts() {
        ModelSize m = new ModelSize(64, 2, 4, 2, 192, 768, 128);
        // block: q,o 64·64 each; k,v 64·32 each; ffn 3·64·192; norms 2·64
        long block = 2 * 4096 + 2 * 2048 + 3 * 64 * 192 + 128;
        assertEquals(block, m.blockParameters());
        assertEquals(2 * block + 64 + 768 * 64, m.parameters());
        assertEquals(6.0 * m.parameters() + 6.0 * 2 * 128 * 64, m.trainingFlopsPerToken());
    }
}
