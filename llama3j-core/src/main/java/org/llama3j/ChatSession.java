package org.llama3j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.llama3j.chat.ChatFormat;
import org.llama3j.chat.Message;
import org.llama3j.chat.Role;
import org.llama3j.generate.GenerationRequest;
import org.llama3j.generate.GenerationResult;
import org.llama3j.generate.Generator;
import org.llama3j.generate.SamplingParams;
import org.llama3j.generate.TokenListener;
import org.llama3j.model.InferenceState;

/**
 * A multi-turn chat that keeps its KV cache across turns: each turn re-renders the dialog with the
 * chat template, keeps the cached positions of the longest common prefix with what the model has
 * already seen, and feeds only the rest. Not thread-safe: one conversation, one caller.
 */
public final class ChatSession {
    private final Llama llama;
    private final ChatFormat format;
    private final String system;
    private final InferenceState state;
    private final List<Message> history = new ArrayList<>();
    private int[] seen = new int[0];

    ChatSession(Llama llama, ChatFormat format, String system, int contextLength) {
        this.llama = llama;
        this.format = format;
        this.system = system;
        this.state = llama.model().newState(contextLength);
        reset();
    }

    /** Forgets the conversation (keeps the system message). */
    public void reset() {
        history.clear();
        if (system != null && !system.isBlank()) {
            history.add(Message.system(system));
        }
        seen = new int[0];
        state.truncate(0);
    }

    /** Messages so far. */
    public List<Message> history() {
        return List.copyOf(history);
    }

    /** Positions of the context in use. */
    public int contextUsed() {
        return state.position();
    }

    /**
     * Sends a user message and generates the assistant's answer, streaming it to {@code listener}.
     *
     * @throws org.llama3j.model.ContextOverflowException if the dialog no longer fits the context
     */
    public GenerationResult send(String userText, int maxTokens, SamplingParams sampling, TokenListener listener,
                                 BooleanSupplier cancelled) {
        history.add(Message.user(userText));
        int[] prompt = format.encodeDialogPrompt(history);
        int common = commonPrefix(seen, prompt);
        if (common == prompt.length) {
            common--; // always feed at least one token to get fresh logits
        }
        state.truncate(Math.min(common, state.position()));
        int[] input = Arrays.copyOfRange(prompt, state.position(), prompt.length);
        int budget = Math.max(0, Math.min(maxTokens, state.capacity() - prompt.length));
        if (prompt.length >= state.capacity()) {
            history.removeLast();
            throw new org.llama3j.model.ContextOverflowException(prompt.length + 1, state.capacity());
        }
        var request = new GenerationRequest(input, budget, sampling, llama.endTokens(), List.of());
        GenerationResult r = new Generator(llama.model()).generate(state, request, llama.textStream(), listener, cancelled);
        history.add(new Message(Role.ASSISTANT, r.text(), false, false));
        int[] now = Arrays.copyOf(prompt, prompt.length + r.tokens().length);
        System.arraycopy(r.tokens(), 0, now, prompt.length, r.tokens().length);
        // the last generated token was sampled but not yet run through the model
        seen = Arrays.copyOf(now, Math.min(now.length, state.position()));
        return r;
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }
}
