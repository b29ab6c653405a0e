package org.llama3j.safety.guard;

import java.util.Arrays;
import java.util.Objects;
import org.llama3j.Llama;
import org.llama3j.generate.Generator;
import org.llama3j.model.InferenceState;
import org.llama3j.model.LlamaModel;
import org.llama3j.tokenizer.Tokenizer;

/**
 * A {@link GuardClassifier} running a Llama Guard model loaded with llama3j.
 *
 * <p><b>Score.</b> The prompt ({@link GuardPromptBuilder}) is tokenized with special-token text
 * recognised only in the template's own prefix and suffix (the Llama Guard 3 prompt spells out
 * {@code <|begin_of_text|>} and the chat headers; special-token text inside messages stays plain
 * text); BOS is prepended when the prompt does not already start with it and run through the model. The
 * score is the probability of {@code unsafe} as the first answer token, as the Llama Guard 2 / 3
 * model cards define it: a softmax over the <em>full</em> vocabulary of the logits at the last
 * prompt position, read at the id of the first token of {@code "unsafe"} as this model's tokenizer
 * encodes it (no BOS, no leading space). With the Llama 3 tokenizer both {@code "unsafe"} and
 * {@code "safe"} are single tokens; for a tokenizer that splits them, the first pieces stand for
 * the words — they must differ, or the model could not tell the answers apart at the first token,
 * and construction fails.
 *
 * <p><b>Verdict.</b> The message is unsafe when the score reaches the threshold (0.5 by default,
 * as in the model cards). Only then is the category line needed: the tokens of {@code "unsafe"}
 * are fed after the prompt and up to {@code maxVerdictTokens} tokens are generated greedily,
 * stopping at an end token or at the end of the category line; {@code "unsafe" + generated} is
 * parsed with {@link GuardVerdict#parse}. Output that does not parse leaves the verdict unsafe with
 * no categories and the parse error recorded (fail closed). Instances are immutable and thread-safe
 * (each call uses its own inference state).
 */
public final class LlamaGuard implements GuardClassifier {
    /** Enough for "\nS1,S2,...": Llama 3 writes a code in two or three tokens. */
    public static final int DEFAULT_MAX_VERDICT_TOKENS = 24;

    private final Llama llama;
    private final GuardPromptBuilder prompts;
    private final double threshold;
    private final int maxVerdictTokens;
    private final int unsafeId;
    private final int safeId;
    private final int[] unsafeTokens;

    private LlamaGuard(Llama llama, GuardPromptBuilder prompts, double threshold, int maxVerdictTokens) {
        this.llama = Objects.requireNonNull(llama, "llama");
        this.prompts = Objects.requireNonNull(prompts, "prompts");
        new GuardScore(0.0, threshold); // validates the threshold
        if (maxVerdictTokens < 1) {
            throw new IllegalArgumentException("maxVerdictTokens must be at least 1, got " + maxVerdictTokens);
        }
        this.threshold = threshold;
        this.maxVerdictTokens = maxVerdictTokens;
        Tokenizer t = llama.tokenizer();
        this.unsafeTokens = t.encode("unsafe", false, false);
        int[] safe = t.encode("safe", false, false);
        if (unsafeTokens.length == 0 || safe.length == 0 || unsafeTokens[0] == safe[0]) {
            throw new GuardPromptException("tokenizer of " + llama.source()
                    + " does not give 'unsafe' and 'safe' distinct first tokens: " + Arrays.toString(unsafeTokens)
                    + " vs " + Arrays.toString(safe));
        }
        this.unsafeId = unsafeTokens[0];
        this.safeId = safe[0];
    }

    /** A guard with the default threshold (0.5) and verdict length. */
    public static LlamaGuard of(Llama llama, GuardPromptBuilder prompts) {
        return new LlamaGuard(llama, prompts, GuardScore.DEFAULT_THRESHOLD, DEFAULT_MAX_VERDICT_TOKENS);
    }

    public LlamaGuard withThreshold(double t) {
        return new LlamaGuard(llama, prompts, t, maxVerdictTokens);
    }

    public LlamaGuard withMaxVerdictTokens(int n) {
        return new LlamaGuard(llama, prompts, threshold, n);
    }

    public double threshold() {
        return threshold;
    }

    public GuardPromptBuilder prompts() {
        return prompts;
    }

    /** Id of the first token of "unsafe" (the scored token). */
    public int unsafeTokenId() {
        return unsafeId;
    }

    /** Id of the first token of "safe". */
    public int safeTokenId() {
        return safeId;
    }

    /** The prompt's token ids as run through the model. */
    public int[] promptTokens(Conversation conversation) {
        String prompt = prompts.build(conversation);
        int[] ids = encodeTemplate(prompt, prompts.version().prefix(), prompts.version().suffix());
        int bos = llama.bos();
        if (bos >= 0 && (ids.length == 0 || ids[0] != bos)) {
            int[] withBos = new int[ids.length + 1];
            withBos[0] = bos;
            System.arraycopy(ids, 0, withBos, 1, ids.length);
            ids = withBos;
        }
        int ctx = llama.config().contextLength();
        if (ids.length >= ctx) {
            throw new GuardPromptException("guard prompt of " + ids.length + " tokens does not fit the context of "
                    + ctx + " tokens of " + llama.source());
        }
        return ids;
    }

    /**
     * Encodes the prompt with special tokens recognised only where the template put them (in its
     * prefix and suffix): special-token text inside a message ({@code "<|eot_id|>"} typed by a user)
     * stays plain text, so a message cannot close its own turn and forge the guard's answer. The
     * text between specials is encoded as one piece, as a whole-prompt encode would split it.
     */
    private int[] encodeTemplate(String prompt, String prefix, String suffix) {
        var tok = llama.tokenizer();
        java.util.List<int[]> parts = new java.util.ArrayList<>();
        int plainFrom = 0;
        for (int region = 0; region < 2; region++) {
            int start = region == 0 ? 0 : prompt.length() - suffix.length();
            String text = region == 0 ? prefix : suffix;
            var m = SPECIAL_TEXT.matcher(text);
            while (m.find()) {
                if (!tok.specialTokens().contains(m.group())) {
                    continue;
                }
                int at = start + m.start();
                if (at > plainFrom) {
                    parts.add(tok.encode(prompt.substring(plainFrom, at), false, false));
                }
                parts.add(new int[] {tok.specialId(m.group())});
                plainFrom = start + m.end();
            }
        }
        if (plainFrom < prompt.length()) {
            parts.add(tok.encode(prompt.substring(plainFrom), false, false));
        }
        return parts.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }

    private static final java.util.regex.Pattern SPECIAL_TEXT = java.util.regex.Pattern.compile("<\\|[A-Za-z0-9_]+\\|>");

    @Override
    public GuardScore score(Conversation conversation) {
        return new GuardScore(firstToken(conversation).unsafe(), threshold);
    }

    /** Probabilities of the first tokens of "unsafe" and "safe" after the prompt. */
    public GuardFirstToken firstToken(Conversation conversation) {
        int[] prompt = promptTokens(conversation);
        float[] logits = new Generator(llama.model()).prefill(llama.model().newState(prompt.length), prompt);
        return new GuardFirstToken(softmaxAt(logits, unsafeId), softmaxAt(logits, safeId));
    }

    @Override
    public GuardVerdict classify(Conversation conversation) {
        return assess(conversation).verdict();
    }

    /** Score, verdict and raw answer in one prompt pass. */
    public GuardAssessment assess(Conversation conversation) {
        int[] prompt = promptTokens(conversation);
        LlamaModel model = llama.model();
        int capacity = Math.min(llama.config().contextLength(), prompt.length + unsafeTokens.length + maxVerdictTokens);
        InferenceState state = model.newState(capacity);
        float[] logits = new Generator(model).prefill(state, prompt);
        GuardScore score = new GuardScore(softmaxAt(logits, unsafeId), threshold);
        if (!score.unsafe()) {
            return new GuardAssessment(score, GuardVerdict.ofSafe(), "safe", null);
        }
        return unsafeAssessment(score, "unsafe" + categoryLine(model, state));
    }

    /** Reads an unsafe answer; text that does not parse keeps the verdict unsafe, with no categories (fail closed). */
    static GuardAssessment unsafeAssessment(GuardScore score, String raw) {
        try {
            GuardVerdict v = GuardVerdict.parse(raw);
            if (v.safe()) {
                throw new GuardVerdictException("answer read as safe after an unsafe score: '" + raw + "'");
            }
            return new GuardAssessment(score, v, raw, null);
        } catch (GuardVerdictException e) {
            return new GuardAssessment(score, new GuardVerdict(false, java.util.List.of()), raw, e.getMessage());
        }
    }

    /** Feeds "unsafe" and greedily generates until an end token, the end of the category line, or the budget. */
    private String categoryLine(LlamaModel model, InferenceState state) {
        int room = state.capacity() - state.position();
        if (room < unsafeTokens.length + 1) {
            return ""; // no room for the category line: the verdict is "unsafe" alone
        }
        float[] logits = model.forward(state, unsafeTokens, unsafeTokens.length, unsafeTokens.length - 1);
        int[] out = new int[maxVerdictTokens];
        int n = 0;
        String text = "";
        while (n < maxVerdictTokens) {
            int next = argmax(logits);
            if (llama.endTokens().contains(next)) {
                break;
            }
            out[n++] = next;
            text = llama.tokenizer().decode(Arrays.copyOf(out, n));
            if (endsCategoryLine(text) || n == maxVerdictTokens || state.position() >= state.capacity()) {
                break;
            }
            logits = model.forward(state, new int[] {next}, 1, 0);
        }
        return text;
    }

    /** True once the text has a non-blank line followed by a newline: the verdict's second line is complete. */
    private static boolean endsCategoryLine(String text) {
        String rest = text.stripLeading();
        int nl = rest.indexOf('\n');
        return nl > 0;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Softmax over all logits, evaluated at {@code id}; in double, shifted by the maximum for stability. */
    public static double softmaxAt(float[] logits, int id) {
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp((double) l - max);
        }
        return Math.exp((double) logits[id] - max) / sum;
    }
}
