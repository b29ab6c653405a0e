package org.llama3j.eval.scaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The laws fitted to a sweep: an IsoFLOP parabola per budget, then power laws in the budget C for the
 * compute-optimal size N*(C), tokens D*(C), loss L*(C) and task NLL (Llama 3 section 3.2.1, step 1:
 * compute → downstream NLL), and a sigmoid from task NLL to accuracy over all runs (step 2).
 */
public record ScalingLaws(List<IsoFlopCurve> curves, List<Double> skippedBudgets, PowerLaw nStar, PowerLaw dStar,
                          PowerLaw lossStar, PowerLaw taskNllStar, Sigmoid accuracy, double chance) {

    /**
     * @param chance accuracy of guessing (1 / choices) — the sigmoid's floor; NaN when there is no task
     * @throws IllegalArgumentException when fewer than two budgets give a convex IsoFLOP curve
     */
    public static ScalingLaws fit(List<RunRecord> runs, double chance) {
        Map<Double, List<RunRecord>> byBudget = new TreeMap<>();
        for (RunRecord r : runs) {
            byBudget.computeIfAbsent(r.budget(), b -> new ArrayList<>()).add(r);
        }
        List<IsoFlopCurve> curves = new ArrayList<>();
        List<Double> skipped = new ArrayList<>();
        byBudget.forEach((budget, rs) -> {
            IsoFlopCurve c = IsoFlopCurve.fit(budget, rs);
            if (c == null) {
                skipped.add(budget);
            } else {
                curves.add(c);
            }
        });
        if (curves.size() < 2) {
            throw new IllegalArgumentException("only " + curves.size() + " of " + byBudget.size()
                    + " budgets have an IsoFLOP minimum inside their sizes (need 3+ sizes bracketing it, in 2+ budgets)");
        }
        int k = curves.size();
        double[] c = new double[k];
        double[] n = new double[k];
        double[] d = new double[k];
        double[] l = new double[k];
        double[] t = new double[k];
        boolean task = true;
        for (int i = 0; i < k; i++) {
            IsoFlopCurve cv = curves.get(i);
            c[i] = cv.budget();
            n[i] = cv.nStar();
            d[i] = cv.dStar();
            l[i] = cv.lossStar();
            t[i] = cv.taskNllStar();
            task &= Double.isFinite(t[i]) && t[i] > 0;
        }
        PowerLaw taskLaw = task ? PowerLaw.fit(c, t) : null;
        Sigmoid sigmoid = task && Double.isFinite(chance) ? fitSigmoid(runs, chance) : null;
        return new ScalingLaws(List.copyOf(curves), List.copyOf(skipped), PowerLaw.fit(c, n), PowerLaw.fit(c, d),
                PowerLaw.fit(c, l), taskLaw, sigmoid, chance);
    }

    private static Sigmoid fitSigmoid(List<RunRecord> runs, double chance) {
        double[] x = runs.stream().mapToDouble(RunRecord::taskNll).toArray();
        double[] y = runs.stream().mapToDouble(RunRecord::taskAcc).toArray();
        return Sigmoid.fit(x, y, chance);
    }

    /** Point predictions at budget {@code c}. */
    public Prediction.Point predict(double c) {
        double taskNll = taskNllStar == null ? Double.NaN : taskNllStar.at(c);
        double acc = accuracy == null ? Double.NaN : accuracy.at(taskNll);
        return new Prediction.Point(nStar.at(c), dStar.at(c), lossStar.at(c), taskNll, acc);
    }
}
