package org.llama3j.train.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.llama3j.tokenizer.Llama3PreTokenizer;
import org.llama3j.tokenizer.TiktokenFile;
import org.llama3j.train.data.CorpusReader;

/** Trains a Llama 3-style tokenizer from corpus files and writes it in tiktoken format. */
public final class TokenizerTraining {

    private TokenizerTraining() {
    }

    /**
     * Splits the documents of {@code inputs} with the Llama 3 pre-tokenizer, trains
     * {@code vocabSize} ranks and writes them to {@code out} (tiktoken format); the 256 Llama 3
     * special tokens then take ids {@code ranks..ranks+255} when loaded with
     * {@link org.llama3j.tokenizer.Llama3Tokenizer#load}.
     */
    public static BpeModel train(List<Path> inputs, String separator, int vocabSize, Path out) throws IOException {
        BpeTrainer trainer = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
        for (Path p : inputs) {
            CorpusReader.documents(p, separator, trainer::addText);
        }
        BpeModel model = trainer.train(vocabSize);
        TiktokenFile.write(model.ranks(), out);
        return model;
    }
}
