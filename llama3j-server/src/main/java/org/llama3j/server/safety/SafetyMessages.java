package org.llama3j.server.safety;

import java.util.List;
import org.llama3j.chat.Message;
import org.llama3j.chat.Role;
import org.llama3j.safety.policy.PolicyMessage;

/** Chat messages as the safety policy reads them. */
public final class SafetyMessages {
    private SafetyMessages() {
    }

    /** Role names as in the request ({@code ipython} for tool results, which the guard leaves out). */
    public static List<PolicyMessage> of(List<Message> messages) {
        return messages.stream().map(m -> new PolicyMessage(role(m.role()), m.content())).toList();
    }

    private static String role(Role r) {
        return r.header();
    }
}
