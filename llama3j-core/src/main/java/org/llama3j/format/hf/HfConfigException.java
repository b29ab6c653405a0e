package org.llama3j.format.hf;

/** An HF {@code config.json} is malformed or describes something llama3j cannot run; names the file and field. */
public class HfConfigException extends RuntimeException {
    public HfConfigException(String message) {
        super(message);
    }
}
