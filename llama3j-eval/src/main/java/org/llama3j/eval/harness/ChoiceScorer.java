package org.llama3j.eval.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multiple choice by log-likelihood, with lm-evaluation-harness's metrics
 * ({@code lm_eval/api/task.py}, {@code ConfigurableTask.process_results}, output type
 * {@code multiple_choice}): {@code acc} = [argmax_i ll_i = gold]; {@code acc_norm} =
 * [argmax_i ll_i / len(choice_i) = gold], where {@code len} is Python's {@code len} of the choice
 * string without the target delimiter, i.e. its number of Unicode code points. (Gao's note
 * "Multiple Choice Normalization in LM Evaluation", EleutherAI 2021, calls this byte-length
 * normalisation; for ASCII text characters and bytes coincide.) Ties go to the first index,
 * as numpy's argmax. Also reported: the gold answer's negative log-likelihood per character,
 * the "normalized NLL" Llama 3 (section 3.2.1) maps to accuracy with a sigmoid.
 */
public final class ChoiceScorer {

    /** One item's outcome. */
    public record Outcome(double[] logLikelihoods, int prediction, int normalizedPrediction, int gold,
                          double goldNllPerChar) {
        public boolean correct() {
            return prediction == gold;
        }

        public boolean normalizedCorrect() {
            return normalizedPrediction == gold;
        }
    }

    private ChoiceScorer() {
    }

    public static Outcome score(LanguageModel model, TaskItem.Choice item, String fewshotPrefix) {
        List<String> choices = item.choices();
        double[] ll = new double[choices.size()];
        for (int i = 0; i < ll.length; i++) {
            ll[i] = ContinuationScorer.score(model, fewshotPrefix + item.context(), item.delimiter() + choices.get(i))
                    .logLikelihood();
        }
        return decide(ll, choices, item.answer());
    }

    /** The lm-eval decisions for given log-likelihoods. */
    public static Outcome decide(double[] ll, List<String> choices, int gold) {
        int pred = 0;
        int predNorm = 0;
        for (int i = 1; i < ll.length; i++) {
            if (ll[i] > ll[pred]) {
                pred = i;
            }
            if (ll[i] / length(choices.get(i)) > ll[predNorm] / length(choices.get(predNorm))) {
                predNorm = i;
            }
        }
        return new Outcome(ll, pred, predNorm, gold, -ll[gold] / length(choices.get(gold)));
    }

    /** Python's {@code len(str)}: Unicode code points. */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    static Map<String, Object> record(TaskItem.Choice item, Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", item.id());
        m.put("loglikelihoods", o.logLikelihoods());
        m.put("prediction", o.prediction());
        m.put("prediction_norm", o.normalizedPrediction());
        m.put("gold", o.gold());
        m.put("acc", o.correct() ? 1 : 0);
        m.put("acc_norm", o.normalizedCorrect() ? 1 : 0);
        return m;
    }
}
