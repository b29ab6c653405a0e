package org.llama3j.format.safetensors;

/** A safetensors file or shard index is malformed; the message names the file and the problem. */
public class SafetensorsFormatException extends RuntimeException {
    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
