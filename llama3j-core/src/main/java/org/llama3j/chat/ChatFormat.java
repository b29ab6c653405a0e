package org.llama3j.chat;

import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * Llama 3 dialog → prompt ids or prompt text (Meta llama-models {@code ChatFormat.encode_dialog_prompt}).
 * Special tokens come only from the template: special-token text inside message content is encoded
 * as plain text (Meta encodes content with {@code allowed_special=set()}), so a user cannot inject
 * {@code <|eot_id|>}. Adjacent text segments are encoded together, as tokenizing the rendered template
 * string does.
 */
public final class ChatFormat {
    private final Tokenizer tokenizer;
    private final ChatTemplate template;

    public ChatFormat(Tokenizer tokenizer, ChatTemplate template) {
        this.tokenizer = tokenizer;
        this.template = template;
    }

    public ChatTemplate template() {
        return template;
    }

    /** Prompt ids for the dialog, ending with an open assistant header for the model to complete. */
    public int[] encodeDialogPrompt(List<Message> messages) {
        return encode(messages, true);
    }

    public int[] encode(List<Message> messages, boolean addGenerationPrompt) {
        List<Segment> segments = template.render(messages, addGenerationPrompt);
        int[] out = new int[64];
        int n = 0;
        StringBuilder text = new StringBuilder();
        for (Segment s : segments) {
            switch (s) {
                case Segment.Text t -> text.append(t.text());
                case Segment.Special sp -> {
                    int[] ids = flush(text);
                    if (n + ids.length + 1 > out.length) out = Arrays.copyOf(out, Math.max(out.length * 2, n + ids.length + 1));
                    System.arraycopy(ids, 0, out, n, ids.length);
                    n += ids.length;
                    out[n++] = tokenizer.specialId(sp.token());
                }
            }
        }
        int[] ids = flush(text);
        out = Arrays.copyOf(out, n + ids.length);
        System.arraycopy(ids, 0, out, n, ids.length);
        return out;
    }

    private int[] flush(StringBuilder text) {
        if (text.isEmpty()) return new int[0];
        int[] ids = tokenizer.encode(text.toString(), false, false);
        text.setLength(0);
        return ids;
    }

    /** The prompt as text, special tokens written out (what the Jinja template renders). */
    public String render(List<Message> messages, boolean addGenerationPrompt) {
        StringBuilder sb = new StringBuilder();
        for (Segment s : template.render(messages, addGenerationPrompt)) {
            switch (s) {
                case Segment.Text t -> sb.append(t.text());
                case Segment.Special sp -> sb.append(sp.token());
            }
        }
        return sb.toString();
    }

    /** Ids that end an assistant turn: {@code <|end_of_text|>}, {@code <|eom_id|>}, {@code <|eot_id|>}. */
    public int[] stopTokens() {
        return new int[]{tokenizer.specialId(Llama3Tokenizer.END_OF_TEXT),
                tokenizer.specialId(Llama3Tokenizer.END_OF_MESSAGE), tokenizer.specialId(Llama3Tokenizer.END_OF_TURN)};
    }
}
