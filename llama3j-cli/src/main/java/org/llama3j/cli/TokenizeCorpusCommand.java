package org.llama3j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.data.CorpusShardWriter;
import org.llama3j.train.data.CorpusTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llama3j tokenize-corpus}: corpus files → train/val token shards (+ a copy of the tokenizer). */
@Command(name = "tokenize-corpus", mixinStandardHelpOptions = true,
        description = "Tokenize text/JSONL files into train and val token shards (BOS … EOS per document).")
final class TokenizeCorpusCommand implements Callable<Integer> {
    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "tiktoken tokenizer.model.")
    Path tokenizer;

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "FILE",
            description = "Text files (one document each, or split by --separator) or .jsonl files with a \"text\" field.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output shard directory.")
    Path out;

    @Option(names = "--val-fraction", defaultValue = "0", paramLabel = "F",
            description = "Fraction of documents for validation (default ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--separator", paramLabel = "TEXT", description = "Splits text files into documents.")
    String separator;

    @Option(names = "--max-shard-tokens", defaultValue = "100000000", paramLabel = "N",
            description = "Tokens per shard before a new one starts (default ${DEFAULT-VALUE}).")
    long maxShardTokens;

    @Override
    public Integer call() throws Exception {
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new UserException("--val-fraction must be in [0, 1), got " + valFraction);
        }
        Tokenizer tok = Llama3Tokenizer.load(tokenizer);
        CorpusShardWriter.Summary s = CorpusTokenizer.tokenize(tok, inputs, separator, out, valFraction, maxShardTokens);
        Files.copy(tokenizer, out.resolve("tokenizer.model"), StandardCopyOption.REPLACE_EXISTING);
        System.err.printf("llama3j: %s: train %d documents / %d tokens in %d shards, val %d documents / %d tokens in %d shards%n",
                out, s.trainDocuments(), s.trainTokens(), s.trainShards(), s.valDocuments(), s.valTokens(), s.valShards());
        return 0;
    }
}
