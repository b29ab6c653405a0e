package org.llama3j.model.lora;

/** A LoRA adapter that cannot be used: a malformed file, a bad adapter_config.json, or shapes that do not fit the base. */
public class LoraFormatException extends IllegalArgumentException {
    public LoraFormatException(String message) {
        super(message);
    }

    public LoraFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
