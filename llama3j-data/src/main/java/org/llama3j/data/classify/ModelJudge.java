package org.llama3j.data.classify;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.llama3j.Llama;
import org.llama3j.chat.Message;
import org.llama3j.model.InferenceState;

/**
 * A llama3j chat model as a quality judge, to label documents for the {@link LinearTextClassifier}:
 * Llama 3 trained its quality classifiers on labels that Llama 2 produced from a prompt (Llama 3
 * paper §3.1.1, "Model-based quality filtering"). The document goes into the prompt template as one
 * user turn with the model's chat template; the score is the model's probability of answering yes
 * rather than no, read from the logits of the first answer token (no sampling, so labels are
 * deterministic): {@code p = Σ_yes e^l / (Σ_yes e^l + Σ_no e^l)} over the first tokens of
 * "yes"/"Yes" and "no"/"No".
 */
public final class ModelJudge {

    /** The placeholder the template's document goes in. */
    public static final String TEXT = "{text}";

    /** A prompt in the spirit of Llama 3's: is this text worth training on. */
    public static final String DEFAULT_PROMPT = """
            Is the following text well-written, informative content that a language model should learn from \
            (not spam, not boilerplate, not gibberish)? Answer yes or no.

            Text:
            {text}""";

    private final Llama llama;
    private final String template;
    private final int maxChars;
    private final int[] yes;
    private final int[] no;

    public ModelJudge(Llama llama, String template, int maxChars) {
        if (!template.contains(TEXT)) {
            throw new IllegalArgumentException("the judge prompt has no " + TEXT + " placeholder");
        }
        if (maxChars <= 0) {
            throw new IllegalArgumentException("max characters must be positive, got " + maxChars);
        }
        this.llama = llama;
        this.template = template;
        this.maxChars = maxChars;
        this.yes = firstTokens("yes", "Yes");
        this.no = firstTokens("no", "No");
        for (int y : yes) {
            for (int n : no) {
                if (y == n) {
                    throw new IllegalArgumentException("the tokenizer starts yes and no with the same token " + y);
                }
            }
        }
    }

    /** The prompt tokens of one document: the template with the (truncated) text, as a user turn. */
    public int[] promptTokens(String text) {
        String doc = text.length() > maxChars ? text.substring(0, maxChars) : text;
        return llama.chatFormat().encodeDialogPrompt(List.of(Message.user(template.replace(TEXT, doc))));
    }

    /** P(yes) in [0, 1]. */
    public double score(String text) {
        int[] prompt = promptTokens(text);
        int context = llama.config().contextLength();
        if (prompt.length > context) {
            throw new IllegalArgumentException("judge prompt of " + prompt.length + " tokens exceeds the model's context of "
                    + context + " (lower the maximum characters per document)");
        }
        InferenceState state = llama.model().newState(prompt.length);
        float[] logits = llama.model().forward(state, prompt, prompt.length, prompt.length - 1);
        return yesProbability(logits, yes, no);
    }

    /** Σ_yes e^l / (Σ_yes e^l + Σ_no e^l), computed relative to the largest of these logits. */
    static double yesProbability(float[] logits, int[] yes, int[] no) {
        double max = Double.NEGATIVE_INFINITY;
        for (int id : yes) {
            max = Math.max(max, logits[id]);
        }
        for (int id : no) {
            max = Math.max(max, logits[id]);
        }
        double py = 0;
        double pn = 0;
        for (int id : yes) {
            py += Math.exp(logits[id] - max);
        }
        for (int id : no) {
            pn += Math.exp(logits[id] - max);
        }
        return py / (py + pn);
    }

    private int[] firstTokens(String... words) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String w : words) {
            int[] t = llama.tokenizer().encode(w);
            if (t.length > 0) {
                ids.add(t[0]);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
