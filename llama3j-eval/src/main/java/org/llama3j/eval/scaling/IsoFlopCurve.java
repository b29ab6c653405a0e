package org.llama3j.eval.scaling;

import java.util.List;

/**
 * One budget's IsoFLOP analysis: loss against ln N fitted by a parabola, its minimum (N*, L*),
 * loss against ln D with its minimum D*, and the task NLL of the compute-optimal model (the task-NLL
 * parabola in ln N evaluated at N*; NaN without a task).
 */
public record IsoFlopCurve(double budget, List<RunRecord> runs, Quadratic lossVsLogN, double nStar, double lossStar,
                           Quadratic lossVsLogD, double dStar, double taskNllStar) {

    /** Fits a budget's runs; null when they do not bracket a minimum (the parabola opens downwards). */
    static IsoFlopCurve fit(double budget, List<RunRecord> runs) {
        int n = runs.size();
        double[] lnN = new double[n];
        double[] lnD = new double[n];
        double[] loss = new double[n];
        double[] task = new double[n];
        boolean hasTask = true;
        for (int i = 0; i < n; i++) {
            RunRecord r = runs.get(i);
            lnN[i] = Math.log(r.parameters());
            lnD[i] = Math.log(r.tokens());
            loss[i] = r.valLoss();
            task[i] = r.taskNll();
            hasTask &= r.hasTask();
        }
        if (distinct(lnN) < 3) {
            return null;
        }
        Quadratic qn = Quadratic.fit(lnN, loss);
        Quadratic qd = Quadratic.fit(lnD, loss);
        if (!qn.convex() || !qd.convex()) {
            return null;
        }
        double nStar = Math.exp(qn.vertex());
        double taskStar = hasTask ? Quadratic.fit(lnN, task).at(qn.vertex()) : Double.NaN;
        return new IsoFlopCurve(budget, runs, qn, nStar, qn.at(qn.vertex()), qd, Math.exp(qd.vertex()), taskStar);
    }

    private static int distinct(double[] v) {
        return (int) java.util.Arrays.stream(v).distinct().count();
    }
}
