package org.llama3j.posttrain.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class GaeTest {

    /**
     * Hand computation, γ = 1, λ = 0.5: rewards (0, 0, 1), values (0.5, 0.25, 0.75):
     * δ = (0 + 0.25 − 0.5, 0 + 0.75 − 0.25, 1 + 0 − 0.75) = (−0.25, 0.5, 0.25);
     * A_2 = 0.25, A_1 = 0.5 + 0.5·0.25 = 0.625, A_0 = −0.25 + 0.5·0.625 = 0.0625; R = A + V.
     */
    @Test
    void advantagesAndReturnsByHand() {
        double[] adv = new double[3];
        double[] ret = new double[3];
        Gae.compute(new double[] {0, 0, 1}, new double[] {0.5, 0.25, 0.75}, 1.0, 0.5, adv, ret);
        assertArrayEquals(new double[] {0.0625, 0.625, 0.25}, adv, 1e-12);
        assertArrayEquals(new double[] {0.5625, 0.875, 1.0}, ret, 1e-12);
    }

    /** λ = 1, γ = 1: the advantage is the undiscounted return to go minus the value (Monte Carlo). */
    @Test
    void lambdaOneIsMonteCarlo() {
        double[] adv = new double[3];
        double[] ret = new double[3];
        Gae.compute(new double[] {0.1, -0.2, 2}, new double[] {1, 2, 3}, 1.0, 1.0, adv, ret);
        assertArrayEquals(new double[] {1.9, 1.8, 2}, ret, 1e-12);
        assertArrayEquals(new double[] {0.9, -0.2, -1}, adv, 1e-12);
    }
}
