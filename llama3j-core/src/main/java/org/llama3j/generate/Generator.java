package org.llama3j.generate;

import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.llama3j.StartupTrace;
import org.llama3j.model.InferenceState;
import org.llama3j.model.LlamaModel;

/**
 * The decode loop: feeds the input tokens (prefill, in chunks), then samples one token at a time
 * until an end token, a stop string, the budget, the context limit or cancellation.
 */
public final class Generator {
    /** Prompt tokens per forward pass: bounds activation memory while keeping weight reuse high. */
    public static final int PREFILL_CHUNK = 256;

    private final LlamaModel model;

    public Generator(LlamaModel model) {
        this.model = model;
    }

    public GenerationResult generate(InferenceState state, GenerationRequest request, TextStream text,
                                     TokenListener listener, BooleanSupplier cancelled) {
        int vocab = model.config().vocabSize();
        int[] input = request.inputTokens();
        long t0 = System.nanoTime();
        float[] logits = prefill(state, input);
        long t1 = System.nanoTime();
        if (StartupTrace.enabled()) { // no message text per request otherwise
            StartupTrace.mark("prompt of " + input.length + " tokens processed");
        }

        Sampler sampler = new Sampler(request.sampling());
        int[] history = Arrays.copyOf(input, input.length + request.maxTokens());
        int historyLength = input.length;
        int[] out = new int[request.maxTokens()];
        int produced = 0;
        StopStringMatcher stops = new StopStringMatcher(request.stopStrings());
        FinishReason reason = FinishReason.LENGTH;
        int endToken = -1;
        int[] one = new int[1];
        while (produced < request.maxTokens()) {
            if (cancelled.getAsBoolean()) {
                reason = FinishReason.CANCELLED;
                break;
            }
            int next = sampler.sample(logits, 0, vocab, history, historyLength);
            if (request.stopTokens().contains(next)) {
                reason = FinishReason.STOP;
                endToken = next;
                break;
            }
            out[produced++] = next;
            if (produced == 1) {
                StartupTrace.mark("first token sampled");
            }
            history[historyLength++] = next;
            String piece = stops.append(text.accept(next));
            listener.onToken(next, piece);
            if (stops.matched()) {
                reason = FinishReason.STOP_STRING;
                break;
            }
            if (produced == request.maxTokens()) {
                break;
            }
            if (state.position() >= state.capacity()) {
                break; // context full: LENGTH
            }
            one[0] = next;
            logits = model.forward(state, one, 1, 0, logits); // the same buffer every token: no garbage per token
        }
        if (reason != FinishReason.STOP_STRING) {
            String rest = stops.append(text.finish());
            if (!stops.matched()) {
                rest += stops.flush();
            } else {
                reason = FinishReason.STOP_STRING;
            }
            if (!rest.isEmpty()) {
                listener.onToken(-1, rest);
            }
        }
        long t2 = System.nanoTime();
        return new GenerationResult(input, Arrays.copyOf(out, produced), stops.text(), reason, endToken, t1 - t0, t2 - t1);
    }

    /** Runs the input tokens through the model in chunks; returns the last token's logits. */
    public float[] prefill(InferenceState state, int[] input) {
        float[] logits = null;
        for (int from = 0; from < input.length; from += PREFILL_CHUNK) {
            int n = Math.min(PREFILL_CHUNK, input.length - from);
            int[] chunk = Arrays.copyOfRange(input, from, from + n);
            logits = model.forward(state, chunk, n, n - 1);
        }
        return logits;
    }
}
