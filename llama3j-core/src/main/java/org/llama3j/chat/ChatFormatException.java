package org.llama3j.chat;

/** A dialog that a chat template cannot render; the message says which message and why. */
public class ChatFormatException extends RuntimeException {
    public ChatFormatException(String message) {
        super(message);
    }
}
