package org.llama3j.safety.codeshield;

/**
 * A piece of text to scan: a Markdown fenced block or the whole input.
 *
 * @param language  from the fence info string, or null when it must be detected
 * @param labelled  whether the fence had an info string; a label naming no supported language
 *                  (bash, json, text...) means only the language-agnostic rules apply
 * @param code      the block's text
 * @param firstLine 1-based line of {@code code}'s first line in the original document
 */
public record CodeBlock(Language language, boolean labelled, String code, int firstLine) {
}
