package org.llama3j.generate;

/** Why generation ended (the OpenAI {@code finish_reason} values map from these). */
public enum FinishReason {
    /** The model produced an end token (end_of_text, eot, eom). */
    STOP,
    /** A caller's stop string appeared in the text. */
    STOP_STRING,
    /** The token budget or the context ran out. */
    LENGTH,
    /** The caller cancelled. */
    CANCELLED,
    /**
     * A safety policy (Llama Guard, Code Shield) withheld the answer. Named after OpenAI's
     * {@code finish_reason: "content_filter"}.
     */
    CONTENT_FILTER
}
