package org.llama3j.data.classify;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Area under the ROC curve as the Mann-Whitney U statistic: the probability that a random positive scores above a
 * random negative, ties counting one half (Hanley &amp; McNeil 1982). Equal to scikit-learn's {@code roc_auc_score}.
 */
public final class Auc {

    private Auc() {
    }

    public static double of(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores for " + positive.length + " labels");
        }
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        long pos = 0;
        double rankSum = 0;
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                j++;
            }
            double midRank = (i + 1 + j) / 2.0; // average 1-based rank of the tie group
            for (int k = i; k < j; k++) {
                if (positive[order[k]]) {
                    pos++;
                    rankSum += midRank;
                }
            }
            i = j;
        }
        long neg = scores.length - pos;
        if (pos == 0 || neg == 0) {
            throw new IllegalArgumentException("AUC needs both classes, got " + pos + " positive and " + neg + " negative");
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}
