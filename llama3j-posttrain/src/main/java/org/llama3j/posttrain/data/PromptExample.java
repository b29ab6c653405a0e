package org.llama3j.posttrain.data;

import java.util.List;
import org.llama3j.chat.Message;

/** A prompt dialog for generation (rejection sampling, PPO), with an optional reference answer. */
public record PromptExample(List<Message> prompt, String reference, int line) {
    public PromptExample {
        prompt = List.copyOf(prompt);
    }
}
