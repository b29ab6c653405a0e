package org.llama3j.server.safety;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import org.llama3j.safety.policy.Decision;
import org.llama3j.safety.policy.PolicyMessage;
import org.llama3j.safety.policy.SafetyPolicy;
import org.llama3j.server.http.ApiException;

/**
 * Where the server applies its {@link SafetyPolicy} ({@code serve --guard FILE --codeshield}).
 *
 * <p>A blocked prompt is refused before it is queued: HTTP 400 with {@code code: "content_filter"},
 * the shape Azure OpenAI uses for filtered prompts. A blocked answer is withheld: the client gets an
 * empty answer with {@code finish_reason: "content_filter"} (OpenAI's documented reason for omitted
 * content). Checking an answer needs all of it, so while output checks are on, a stream shows each
 * choice's text only after it finished and passed ({@link OutputScreen}); nothing unchecked is sent.
 */
public final class SafetyGate {
    private static final Logger LOG = Logger.getLogger(SafetyGate.class.getName());

    private final SafetyPolicy policy;
    private final LongAdder blockedInputs = new LongAdder();
    private final LongAdder blockedOutputs = new LongAdder();

    public SafetyGate(SafetyPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public static SafetyGate none() {
        return new SafetyGate(SafetyPolicy.none());
    }

    /** Whether answers are checked (a guard model or Code Shield is configured). */
    public boolean screensOutput() {
        return policy.guard().isPresent() || policy.codeShield().isPresent();
    }

    /**
     * Checks a request's messages before generation.
     *
     * @throws ApiException 400 {@code content_filter} when the policy blocks them
     */
    public void checkInput(List<PolicyMessage> messages, String param) {
        Decision d = policy.checkInput(messages);
        if (d instanceof Decision.Block b) {
            blockedInputs.increment();
            LOG.info(() -> "prompt blocked: " + b.reason());
            throw ApiException.badRequest("the prompt was blocked by the server's safety policy: " + b.reason(), param,
                    "content_filter");
        }
    }

    /** The screen for a request's answers, or null when answers are not checked. */
    public OutputScreen screen(List<PolicyMessage> request) {
        if (!screensOutput()) {
            return null;
        }
        List<PolicyMessage> context = List.copyOf(request);
        return text -> {
            Decision d = policy.checkOutput(context, text);
            if (d instanceof Decision.Block b) {
                blockedOutputs.increment();
                LOG.info(() -> "answer withheld: " + b.reason());
                return b.reason();
            }
            if (d instanceof Decision.Allow a && !a.notes().isEmpty()) {
                LOG.info(() -> "answer passed with notes: " + String.join("; ", a.notes()));
            }
            return null;
        };
    }

    public long blockedInputs() {
        return blockedInputs.sum();
    }

    public long blockedOutputs() {
        return blockedOutputs.sum();
    }
}
