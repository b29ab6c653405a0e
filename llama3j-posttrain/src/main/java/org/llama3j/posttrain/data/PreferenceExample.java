package org.llama3j.posttrain.data;

import java.util.List;
import org.llama3j.chat.Message;

/** A prompt dialog and two assistant replies, {@code chosen} preferred over {@code rejected}. */
public record PreferenceExample(List<Message> prompt, String chosen, String rejected, int line) {
    public PreferenceExample {
        prompt = List.copyOf(prompt);
    }
}
