package org.llama3j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.llama3j.train.tokenizer.BpeModel;
import org.llama3j.train.tokenizer.TokenizerTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llama3j train-tokenizer}: byte-level BPE over the Llama 3 pre-tokenizer, tiktoken output. */
@Command(name = "train-tokenizer", mixinStandardHelpOptions = true,
        description = "Train a byte-level BPE tokenizer (tiktoken format, Llama 3 special tokens after the ranks).")
final class TrainTokenizerCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "FILE",
            description = "Text files (one document each, or split by --separator) or .jsonl files with a \"text\" field.")
    List<Path> inputs;

    @Option(names = "--vocab-size", required = true, paramLabel = "N",
            description = "Number of ranks: 256 byte tokens + merges. Special tokens take ids N..N+255.")
    int vocabSize;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output tokenizer.model.")
    Path out;

    @Option(names = "--separator", paramLabel = "TEXT", description = "Splits text files into documents.")
    String separator;

    @Override
    public Integer call() throws Exception {
        if (vocabSize < 256) {
            throw new UserException("--vocab-size must be >= 256 (the byte tokens), got " + vocabSize);
        }
        BpeModel m = TokenizerTraining.train(inputs, separator, vocabSize, out);
        System.err.printf("llama3j: wrote %s: %d ranks (%d merges)%s%n", out, m.ranks().size(), m.merges().size(),
                m.ranks().size() < vocabSize ? "; the corpus ran out of pairs before --vocab-size" : "");
        return 0;
    }
}
