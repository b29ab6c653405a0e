package org.llama3j.posttrain.data;

import java.util.List;
import java.util.Optional;
import org.llama3j.chat.Message;

/**
 * An SFT record and the line it came from: a dialog (at least one assistant message), or — with
 * {@code text} — a plain document trained on every token like pretraining data (replay of the base's
 * data, which keeps a fine-tuned model's plain-text continuation from being overwritten by the chat format).
 */
public record ChatExample(List<Message> messages, Optional<String> text, int line) {
    public ChatExample {
        messages = List.copyOf(messages);
    }

    public ChatExample(List<Message> messages, int line) {
        this(messages, Optional.empty(), line);
    }

    /** A plain document ({@code {"text": "…"}}). */
    public static ChatExample plainText(String text, int line) {
        return new ChatExample(List.of(), Optional.of(text), line);
    }
}
