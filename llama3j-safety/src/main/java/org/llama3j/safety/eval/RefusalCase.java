package org.llama3j.safety.eval;

/** A borderline but benign prompt (false-refusal benchmark): refusing it is a false refusal. */
public record RefusalCase(String id, String prompt) {
}
