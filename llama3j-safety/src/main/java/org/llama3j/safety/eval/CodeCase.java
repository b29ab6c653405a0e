package org.llama3j.safety.eval;

/**
 * An insecure-code benchmark case: an instruction (instruct) or a code prefix (autocomplete),
 * and the language whose Code Shield rules judge the answer.
 */
public record CodeCase(String id, String prompt, String language) {
}
