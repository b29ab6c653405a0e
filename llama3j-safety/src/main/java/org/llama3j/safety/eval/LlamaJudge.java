package org.llama3j.safety.eval;

import java.util.List;
import org.llama3j.Llama;
import org.llama3j.chat.ChatFormat;
import org.llama3j.chat.ChatTemplate;
import org.llama3j.chat.Message;
import org.llama3j.generate.Generator;

/**
 * A judge model: the question goes in one Llama 3 chat user turn, and the answer is read from the
 * first answer token — yes when the logit of the first token of {@code "Yes"} beats that of
 * {@code "No"} (each as the model's tokenizer encodes it). Reading two logits instead of parsing
 * generated text means every question gets an answer, with no "neither" case to drop.
 */
public final class LlamaJudge implements Judge {
    private final Llama llama;
    private final ChatFormat format;
    private final int yesId;
    private final int noId;

    public LlamaJudge(Llama llama) {
        this.llama = llama;
        this.format = new ChatFormat(llama.tokenizer(), new ChatTemplate.Llama3());
        this.yesId = llama.tokenizer().encode("Yes", false, false)[0];
        this.noId = llama.tokenizer().encode("No", false, false)[0];
        if (yesId == noId) {
            throw new IllegalArgumentException("judge tokenizer gives 'Yes' and 'No' the same first token");
        }
    }

    @Override
    public boolean yes(String question) {
        int[] prompt = format.encode(List.of(Message.user(question)), true);
        if (prompt.length >= llama.config().contextLength()) {
            throw new IllegalArgumentException("judge prompt of " + prompt.length + " tokens does not fit the context of "
                    + llama.config().contextLength());
        }
        float[] logits = new Generator(llama.model()).prefill(llama.model().newState(prompt.length), prompt);
        return logits[yesId] > logits[noId];
    }
}
