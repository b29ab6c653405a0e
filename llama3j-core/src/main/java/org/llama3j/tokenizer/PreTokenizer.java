package org.llama3j.tokenizer;

/**
 * Splits text into pieces that BPE encodes independently (tiktoken's {@code pat_str} step).
 * Implementations are stateless and thread-safe.
 */
public interface PreTokenizer {

    /** Receives one piece as the char range {@code [start, end)} of the text. */
    @FunctionalInterface
    interface PieceSink {
        void piece(int start, int end);
    }

    /** Calls {@code sink} for each consecutive piece of {@code text[from, to)}, in order, covering it all. */
    void split(CharSequence text, int from, int to, PieceSink sink);

    /**
     * The pre-tokenizer named by a GGUF {@code tokenizer.ggml.pre} value (llama.cpp
     * {@code llama-vocab.cpp}); {@code null} means the Llama 3 pattern.
     */
    static PreTokenizer forName(String name) {
        if (name == null) return Llama3PreTokenizer.INSTANCE;
        return switch (name) {
            case "llama-bpe", "llama3", "llama-v3" -> Llama3PreTokenizer.INSTANCE;
            default -> throw new TokenizerException("unsupported pre-tokenizer '" + name
                    + "': only the Llama 3 pattern (llama-bpe) is implemented");
        };
    }
}
