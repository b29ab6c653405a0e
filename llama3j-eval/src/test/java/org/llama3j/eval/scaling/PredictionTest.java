package org.llama3j.eval.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Two-step prediction and its bootstrap interval on a synthetic sweep with known laws. */
class PredictionTest {

    /** A synthetic sweep: loss parabola in ln N around N* = 0.1·C^0.5, loss* = 20·C^-0.05, task NLL = loss/2, acc by a known sigmoid. */
    static List<RunRecord> sweep(double noise, long seed) {
        Random rnd = new Random(seed);
        Sigmoid acc = new Sigmoid(0.25, 5, 2.0);
        List<RunRecord> runs = new ArrayList<>();
        for (double c : new double[] {1e12, 4e12, 1.6e13}) {
            double nOpt = 0.1 * Math.pow(c, 0.5);
            for (double k = -1; k <= 1.001; k += 0.5) {
                double n = nOpt * Math.exp(k);
                double loss = 20 * Math.pow(c, -0.05) + 0.1 * k * k + noise * rnd.nextGaussian();
                double taskNll = loss / 2;
                runs.add(new RunRecord("r", c, new ModelSize(8, 1, 1, 1, 8, 8, 8), Math.round(n), Math.round(c / (6 * n)), c,
                        1, loss, taskNll, acc.at(taskNll), acc.at(taskNll), 0));
            }
        }
        return runs;
    }

    @Test
    void noiselessSweepPredictsTheTrueValuesAtFourTimesTheLargestBudget() {
        double c = 6.4e13;
        Prediction p = Prediction.at(sweep(0, 0), 0.25, c, 50, 0);
        assertEquals(0.1 * Math.sqrt(c), p.estimate().parameters(), 0.1 * Math.sqrt(c) * 0.01);
        assertEquals(20 * Math.pow(c, -0.05), p.estimate().loss(), 20 * Math.pow(c, -0.05) * 0.001);
        double taskNll = 10 * Math.pow(c, -0.05);
        assertEquals(taskNll, p.estimate().taskNll(), taskNll * 0.001);
        assertEquals(new Sigmoid(0.25, 5, 2.0).at(taskNll), p.estimate().accuracy(), 1e-3);
        assertTrue(p.failed() < 10, "replicates drawing < 3 distinct sizes in a budget are dropped: " + p.failed());
    }

    @Test
    void noisyRunsGiveAnIntervalAroundTheEstimate() {
        double c = 6.4e13;
        Prediction p = Prediction.at(sweep(0.01, 3), 0.25, c, 200, 7);
        assertTrue(p.low().loss() <= p.estimate().loss() && p.estimate().loss() <= p.high().loss(), p.toString());
        assertTrue(p.high().loss() - p.low().loss() > 0, "a nonzero interval");
        assertEquals(20 * Math.pow(c, -0.05), p.estimate().loss(), 0.05);
    }
}
