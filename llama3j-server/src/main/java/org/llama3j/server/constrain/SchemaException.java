package org.llama3j.server.constrain;

/** A JSON schema that constrained decoding cannot follow; the message names the part. */
public final class SchemaException extends RuntimeException {
    public SchemaException(String message) {
        super(message);
    }
}
