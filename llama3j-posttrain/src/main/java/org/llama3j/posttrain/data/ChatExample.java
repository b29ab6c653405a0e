package org.llama3j.posttrain.data;

import java.util.List;
import org.llama3j.chat.Message;

/** An SFT dialog (at least one assistant message) and the line it came from. */
public record ChatExample(List<Message> messages, int line) {
    public ChatExample {
        messages = List.copyOf(messages);
    }
}
