package org.llama3j.eval.scaling;

import java.util.List;

/**
 * One budget's IsoFLOP analysis: loss against ln N fitted by a parabola, its minimum (N*, L*),
 * loss against ln D with its minimum D*, and the task NLL of the compute-optimal model (the task-NLL
 * parabola in ln N evaluated at N*; NaN without a task). The parabola is a local model of the valley,
 * so it is fitted to the best run and up to two neighbours on each side in N ({@link #WINDOW}), not to
 * runs far up the slopes; a budget whose minimum falls outside its sizes would be an extrapolation
 * and is left out.
 */
public record IsoFlopCurve(double budget, List<RunRecord> runs, List<RunRecord> fitted, Quadratic lossVsLogN, double nStar, double lossStar,
                           Quadratic lossVsLogD, double dStar, double taskNllStar) {

    /** Runs on each side of the best one that the parabola uses. */
    static final int WINDOW = 2;

    /** Fits a budget's runs; null when they do not bracket a minimum. */
    static IsoFlopCurve fit(double budget, List<RunRecord> all) {
        List<RunRecord> sorted = all.stream().sorted(java.util.Comparator.comparingLong(RunRecord::parameters)).toList();
        int best = 0;
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).valLoss() < sorted.get(best).valLoss()) {
                best = i;
            }
        }
        List<RunRecord> runs = sorted.subList(Math.max(0, best - WINDOW), Math.min(sorted.size(), best + WINDOW + 1));
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
        if (!qn.convex() || !qd.convex() || qn.vertex() < lnN[0] || qn.vertex() > lnN[n - 1]) {
            return null;
        }
        double nStar = Math.exp(qn.vertex());
        double taskStar = hasTask ? Quadratic.fit(lnN, task).at(qn.vertex()) : Double.NaN;
        return new IsoFlopCurve(budget, all, List.copyOf(runs), qn, nStar, qn.at(qn.vertex()), qd, Math.exp(qd.vertex()), taskStar);
    }

    private static int distinct(double[] v) {
        return (int) java.util.Arrays.stream(v).distinct().count();
    }
}
