package org.llama3j.chat;

/** A piece of a rendered dialog: plain text, or a special token by its text. */
public sealed interface Segment {
    record Text(String text) implements Segment {
    }

    record Special(String token) implements Segment {
    }
}
