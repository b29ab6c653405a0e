package org.llama3j.safety.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.llama3j.safety.codeshield.CodeShield;
import org.llama3j.safety.codeshield.Finding;
import org.llama3j.safety.codeshield.ScanResult;
import org.llama3j.safety.codeshield.Severity;
import org.llama3j.safety.codeshield.Treatment;
import org.llama3j.safety.guard.Conversation;
import org.llama3j.safety.guard.GuardClassifier;
import org.llama3j.safety.guard.GuardMessage;
import org.llama3j.safety.guard.GuardRole;
import org.llama3j.safety.guard.GuardVerdict;

/**
 * The safety hook a server calls around generation: an optional Llama Guard
 * ({@link GuardClassifier}, e.g. {@link org.llama3j.safety.guard.LlamaGuard}) on the prompt and the
 * answer, and optional Code Shield on the answer. Thread-safe when its parts are (LlamaGuard and
 * CodeShield are).
 *
 * <ul>
 *   <li>{@link #checkInput}: the guard classifies the last user message in the context of the
 *       conversation. Chat histories are mapped to what Llama Guard accepts: system and tool
 *       messages are left out, leading assistant messages dropped, consecutive messages of one
 *       role joined with a blank line.</li>
 *   <li>{@link #checkOutput}: Code Shield scans the answer — {@code BLOCK} (an error-severity
 *       finding, or a failed scan: fail closed) blocks, {@code WARN} passes with notes; then the
 *       guard classifies the answer as the agent turn after the request's messages (skipped when
 *       there is no user message to pair it with).</li>
 *   <li>A guard that throws (a prompt longer than the guard model's context, say) blocks: fail closed.</li>
 * </ul>
 */
public final class SafetyPolicy {
    private final GuardClassifier guard;
    private final CodeShield codeShield;

    private SafetyPolicy(GuardClassifier guard, CodeShield codeShield) {
        this.guard = guard;
        this.codeShield = codeShield;
    }

    /** @param guard null for none; @param codeShield null for none */
    public static SafetyPolicy of(GuardClassifier guard, CodeShield codeShield) {
        return new SafetyPolicy(guard, codeShield);
    }

    /** A policy that allows everything (no guard, no Code Shield). */
    public static SafetyPolicy none() {
        return new SafetyPolicy(null, null);
    }

    public Optional<GuardClassifier> guard() {
        return Optional.ofNullable(guard);
    }

    public Optional<CodeShield> codeShield() {
        return Optional.ofNullable(codeShield);
    }

    /** Checks a request before generation. */
    public Decision checkInput(List<PolicyMessage> messages) {
        Objects.requireNonNull(messages, "messages");
        if (guard == null) {
            return Decision.allow();
        }
        List<GuardMessage> turns = turns(messages);
        if (turns.isEmpty()) {
            return Decision.allow(); // nothing from the user to classify
        }
        if (turns.getLast().role() != GuardRole.USER) {
            // the request ends with an assistant turn (a prefill): classify up to the last user turn
            turns = turns.subList(0, turns.size() - 1);
        }
        return classify(new Conversation(turns), "input");
    }

    /** Checks a generated answer with no request context (Code Shield only; the guard needs the user's turn). */
    public Decision checkOutput(String text) {
        return checkOutput(List.of(), text);
    }

    /** Checks a generated answer to the given request messages. */
    public Decision checkOutput(List<PolicyMessage> request, String text) {
        Objects.requireNonNull(text, "text");
        List<String> notes = new ArrayList<>();
        if (codeShield != null && !text.isBlank()) {
            ScanResult r = codeShield.scan(text);
            if (r.treatment() == Treatment.BLOCK) {
                List<Finding> blocking = r.findings().stream().filter(f -> f.severity() == Severity.ERROR).toList();
                LinkedHashSet<String> cwes = new LinkedHashSet<>();
                LinkedHashSet<String> rules = new LinkedHashSet<>();
                for (Finding f : blocking) {
                    cwes.add(f.cwe());
                    rules.add(f.ruleId() + " (line " + f.line() + ")");
                }
                return new Decision.Block("Code Shield: insecure code: " + String.join(", ", rules), List.copyOf(cwes));
            }
            for (Finding f : r.findings()) {
                if (f.severity() == Severity.WARNING) {
                    notes.add("Code Shield warning " + f.ruleId() + " " + f.cwe() + " at line " + f.line());
                }
            }
        }
        if (guard != null && !text.isBlank()) {
            List<GuardMessage> turns = new ArrayList<>(turns(request));
            if (!turns.isEmpty() && turns.getLast().role() == GuardRole.AGENT) {
                turns.removeLast(); // an assistant prefill is part of the answer being checked
            }
            if (!turns.isEmpty()) {
                turns.add(new GuardMessage(GuardRole.AGENT, text));
                Decision d = classify(new Conversation(turns), "output");
                if (!d.allowed()) {
                    return d;
                }
            }
        }
        return new Decision.Allow(notes);
    }

    private Decision classify(Conversation c, String what) {
        GuardVerdict v;
        try {
            v = guard.classify(c);
        } catch (RuntimeException e) {
            return new Decision.Block("Llama Guard could not classify the " + what + " (blocked, fail closed): "
                    + e.getMessage(), List.of());
        }
        if (v.safe()) {
            return Decision.allow();
        }
        return new Decision.Block("Llama Guard: unsafe " + what
                + (v.categories().isEmpty() ? "" : " (" + String.join(",", v.categories()) + ")"), v.categories());
    }

    /** User/assistant turns as Llama Guard wants them: starting with the user, alternating, none blank. */
    static List<GuardMessage> turns(List<PolicyMessage> messages) {
        List<GuardMessage> out = new ArrayList<>();
        for (PolicyMessage m : messages) {
            GuardRole role = switch (m.role().toLowerCase(Locale.ROOT)) {
                case "user" -> GuardRole.USER;
                case "assistant" -> GuardRole.AGENT;
                default -> null; // system, tool, ipython: not part of what Llama Guard assesses
            };
            if (role == null || m.content().isBlank() || (out.isEmpty() && role == GuardRole.AGENT)) {
                continue;
            }
            if (!out.isEmpty() && out.getLast().role() == role) {
                GuardMessage last = out.removeLast();
                out.add(new GuardMessage(role, last.content() + "\n\n" + m.content()));
            } else {
                out.add(new GuardMessage(role, m.content()));
            }
        }
        return out;
    }
}
