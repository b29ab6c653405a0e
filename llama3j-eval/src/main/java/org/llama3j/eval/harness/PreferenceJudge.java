package org.llama3j.eval.harness;

/**
 * Pairwise preference by a judge model, in the style of MT-Bench's pairwise judge (Zheng et al.
 * 2023, "Judging LLM-as-a-Judge"): the judge sees the question and two answers and names the better
 * one; both orders are asked and averaged, which cancels the judge's position bias. A small
 * base model cannot follow a grading instruction in free text, so the verdict is read from the
 * judge's log-likelihood of " A" versus " B" after the prompt (a two-way softmax), not generated.
 */
public final class PreferenceJudge {
    private final LanguageModel judge;

    public PreferenceJudge(LanguageModel judge) {
        this.judge = judge;
    }

    /** The probability, averaged over both orders, that the judge prefers {@code candidate} to {@code reference}. */
    public double preferCandidate(String question, String candidate, String reference) {
        double first = preferA(question, candidate, reference);
        double second = 1 - preferA(question, reference, candidate);
        return (first + second) / 2;
    }

    /** P(A) from the judge's two-way softmax over the continuations " A" and " B". */
    double preferA(String question, String a, String b) {
        String prompt = prompt(question, a, b);
        double la = ContinuationScorer.score(judge, prompt, " A").logLikelihood();
        double lb = ContinuationScorer.score(judge, prompt, " B").logLikelihood();
        return 1 / (1 + Math.exp(lb - la));
    }

    static String prompt(String question, String a, String b) {
        return "Question: " + question.strip() + "\n\nAnswer A: " + a.strip() + "\n\nAnswer B: " + b.strip()
                + "\n\nWhich answer is better, A or B? The better answer is";
    }
}
