package org.llama3j.server.constrain;

import org.llama3j.tokenizer.Tokenizer;

/** Every token's bytes and whether it is special, computed once per model for constrained decoding. */
public final class TokenTable {
    private final byte[][] bytes;
    private final boolean[] special;

    public TokenTable(Tokenizer tokenizer, int vocab) {
        bytes = new byte[vocab][];
        special = new boolean[vocab];
        int known = tokenizer.vocabularySize();
        for (int id = 0; id < vocab; id++) {
            if (id >= known) {
                // padding rows of the embedding beyond the tokenizer: never generate them
                special[id] = true;
                bytes[id] = new byte[0];
                continue;
            }
            special[id] = tokenizer.isSpecial(id);
            try {
                bytes[id] = special[id] ? new byte[0] : tokenizer.tokenBytes(id);
            } catch (org.llama3j.tokenizer.TokenizerException e) {
                special[id] = true; // an id with no bytes (a gap in the vocabulary): never generate it
                bytes[id] = new byte[0];
            }
        }
    }

    public byte[] bytes(int id) {
        return bytes[id];
    }

    public boolean special(int id) {
        return special[id];
    }
}
