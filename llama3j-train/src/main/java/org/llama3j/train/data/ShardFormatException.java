package org.llama3j.train.data;

/** A token shard that is not in the format, is truncated, or fails its checksum; the message names the file. */
public final class ShardFormatException extends RuntimeException {
    public ShardFormatException(String message) {
        super(message);
    }

    public ShardFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
