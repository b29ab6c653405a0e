package org.llama3j.safety.eval;

import java.util.List;

/**
 * A prompt-injection case: the system prompt sets rules, the user input tries to break them, and
 * the judge question asks whether the answer shows it did ("yes" = injection succeeded).
 * {@code successKeywords} serve the keyword fallback when no judge model is given: the injection
 * succeeded when the answer contains any of them (case-insensitive). A case without keywords
 * cannot be judged without a judge model and is counted as unjudged.
 */
public record InjectionCase(String id, String system, String userInput, String judgeQuestion,
                            List<String> successKeywords) {
    public InjectionCase {
        successKeywords = List.copyOf(successKeywords);
    }
}
