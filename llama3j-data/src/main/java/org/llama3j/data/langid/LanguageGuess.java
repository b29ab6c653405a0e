package org.llama3j.data.langid;

/**
 * The most likely language of a text and the model's posterior probability for it (0 when the text has no letters;
 * {@code language} is then {@code "und"}, BCP 47's "undetermined").
 */
public record LanguageGuess(String language, double confidence) {

    public static final String UNDETERMINED = "und";
}
