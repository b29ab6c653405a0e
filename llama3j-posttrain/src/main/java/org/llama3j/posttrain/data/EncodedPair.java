package org.llama3j.posttrain.data;

/** A preference pair as two encoded dialogs (same prompt, the reply tokens marked). */
public record EncodedPair(EncodedDialog chosen, EncodedDialog rejected) {
}
