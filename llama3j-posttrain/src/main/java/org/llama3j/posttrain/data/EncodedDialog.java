package org.llama3j.posttrain.data;

/**
 * Token ids of a rendered dialog and, per token, whether it is a training target (a token of an
 * assistant reply, its {@code <|eot_id|>} included; never the prompt, headers or other roles).
 */
public record EncodedDialog(int[] tokens, boolean[] trained, int line) {
    public EncodedDialog {
        if (tokens.length != trained.length) {
            throw new IllegalArgumentException("tokens and mask differ in length");
        }
    }

    public int length() {
        return tokens.length;
    }
}
