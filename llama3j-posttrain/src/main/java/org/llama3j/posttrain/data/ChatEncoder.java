package org.llama3j.posttrain.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.llama3j.chat.ChatFormat;
import org.llama3j.chat.ChatTemplate;
import org.llama3j.chat.Message;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;

/**
 * Renders dialogs with core's Llama 3 chat template ({@link ChatTemplate.Llama3}) and marks which
 * tokens are assistant output. An assistant turn's tokens are those after the rendering of the
 * dialog so far with an open assistant header, up to and including its end-of-turn token; this is
 * exactly what the model produces at inference after {@link ChatFormat#encodeDialogPrompt}.
 */
public final class ChatEncoder {

    private final Tokenizer tokenizer;
    private final ChatFormat format;
    private final int endOfTurn;

    public ChatEncoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.format = new ChatFormat(tokenizer, new ChatTemplate.Llama3());
        this.endOfTurn = tokenizer.specialId(Llama3Tokenizer.END_OF_TURN);
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public int endOfTurn() {
        return endOfTurn;
    }

    /** Ids that end a generated reply. */
    public int[] stopTokens() {
        return format.stopTokens();
    }

    /** Prompt ids ending with an open assistant header. */
    public int[] encodePrompt(List<Message> prompt) {
        return format.encode(prompt, true);
    }

    /** The whole dialog with a mask of assistant tokens. */
    public EncodedDialog encodeDialog(List<Message> messages, int line) {
        int[] full = format.encode(messages, false);
        boolean[] trained = new boolean[full.length];
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).role() != org.llama3j.chat.Role.ASSISTANT) {
                continue;
            }
            int start = commonPrefix(full, format.encode(messages.subList(0, i), true));
            int end = commonPrefix(full, format.encode(messages.subList(0, i + 1), false));
            Arrays.fill(trained, start, end, true);
        }
        return new EncodedDialog(full, trained, line);
    }

    /**
     * A plain document as pretraining frames it ({@code <|begin_of_text|> … <|end_of_text|>}), every token
     * after the first a training target.
     */
    public EncodedDialog encodeText(String text, int line) {
        int[] body = tokenizer.encode(text, true, false);
        int[] full = Arrays.copyOf(body, body.length + 1);
        full[body.length] = tokenizer.specialId(Llama3Tokenizer.END_OF_TEXT);
        boolean[] trained = new boolean[full.length];
        Arrays.fill(trained, 1, full.length, true);
        return new EncodedDialog(full, trained, line);
    }

    /** Prompt + one assistant reply; the reply's tokens (content and end of turn) are marked. */
    public EncodedDialog encodeReply(List<Message> prompt, String reply, int line) {
        List<Message> dialog = new ArrayList<>(prompt);
        dialog.add(Message.assistant(reply));
        int[] full = format.encode(dialog, false);
        boolean[] trained = new boolean[full.length];
        Arrays.fill(trained, commonPrefix(full, format.encode(prompt, true)), full.length, true);
        return new EncodedDialog(full, trained, line);
    }

    /** Whether a token is a special (header / termination) token of the template. */
    public boolean isFormatToken(int id) {
        return tokenizer.isSpecial(id);
    }

    /** Text of generated ids, without the stop token that ended them. */
    public String decodeReply(int[] ids) {
        int n = ids.length;
        if (n > 0 && isStop(ids[n - 1])) {
            n--;
        }
        return tokenizer.decode(Arrays.copyOf(ids, n)).strip();
    }

    public boolean isStop(int id) {
        for (int s : stopTokens()) {
            if (s == id) {
                return true;
            }
        }
        return false;
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
