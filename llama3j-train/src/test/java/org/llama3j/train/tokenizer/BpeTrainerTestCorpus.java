package org.llama3j.train.tokenizer;

/** The generated test corpus, shared with other test packages. */
public final class BpeTrainerTestCorpus {
    private BpeTrainerTestCorpus() {
    }

    public static String generate(int words, long seed) {
        return BpeTrainerTest.corpus(words, seed);
    }
}
