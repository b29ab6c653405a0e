package org.llama3j.posttrain.tasks;

/** The synthetic task families of the post-training demonstration; answers are checked by code. */
public enum TaskKind {
    /** "What is 23 + 45?" → "68". */
    ARITHMETIC,
    /** "Reverse the letters: p l o n" → "n o l p" (random 3–5 letter words, letters spaced). */
    REVERSAL,
    /** "Convert 3 km to m." → "3000 m" (1–99 of five metric pairs). */
    UNIT_CONVERSION,
    /** "Answer in the form ANSWER: <word>. The word is sun." → "ANSWER: sun". */
    FORMAT
}
