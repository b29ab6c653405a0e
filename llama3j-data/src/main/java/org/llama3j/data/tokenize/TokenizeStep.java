package org.llama3j.data.tokenize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.llama3j.data.Document;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.Verdict;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.tokenizer.GgufVocabulary;
import org.llama3j.tokenizer.HuggingFaceTokenizer;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;

/**
 * The last step of a pipeline that feeds pretraining ({@code type: tokenize}): after the run, the final shards are
 * tokenized in order into the trainer's train/val token shards under {@code outputDir/<dir>} by
 * {@link TokenShardExport} (each document framed {@code <|begin_of_text|> ... <|end_of_text|>}, as llama3j-train's
 * {@code CorpusTokenizer} does). As a step it keeps every document; the export runs once the executor has
 * committed all output, so restarts and Spark task retries never see half-written token shards.
 *
 * @see Config
 */
public final class TokenizeStep implements DocumentStep {

    /**
     * @param tokenizer         tiktoken {@code tokenizer.model} (Llama 3), Hugging Face {@code tokenizer.json},
     *                          or a GGUF model whose tokenizer to use
     * @param dir               token shard directory, relative to the pipeline output
     * @param valFraction       fraction of documents written to validation shards
     * @param maxTokensPerShard a new shard starts beyond this many tokens
     */
    public record Config(String tokenizer, String dir, double valFraction, long maxTokensPerShard)
            implements java.io.Serializable {
        public static final Config DEFAULTS = new Config(null, "tokens", 0.01, 100_000_000L);
    }

    private final Config config;

    public TokenizeStep(Config config) {
        if (config.tokenizer() == null) {
            throw new IllegalArgumentException("tokenize: 'tokenizer' (a tokenizer.model, tokenizer.json or model .gguf) is required");
        }
        if (!Files.isRegularFile(Path.of(config.tokenizer()))) {
            throw new IllegalArgumentException("tokenize: tokenizer file " + config.tokenizer() + " does not exist");
        }
        if (!(config.valFraction() >= 0 && config.valFraction() < 1) || config.maxTokensPerShard() < 1) {
            throw new IllegalArgumentException("tokenize: valFraction must be in [0, 1) and maxTokensPerShard >= 1");
        }
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "tokenize";
    }

    /**
     * Loads the configured tokenizer: {@code .json} as Hugging Face, {@code .gguf} from the model file's
     * metadata (e.g. the bundled default model), anything else as tiktoken.
     */
    public Tokenizer loadTokenizer() {
        Path p = Path.of(config.tokenizer());
        String name = p.getFileName().toString();
        if (name.endsWith(".json")) {
            return HuggingFaceTokenizer.load(p);
        }
        if (name.endsWith(".gguf")) {
            try (GgufFile f = GgufReader.open(p)) {
                return GgufVocabulary.fromGguf(f);
            } catch (IOException e) {
                throw new UncheckedIOException("tokenize: cannot read " + p + ": " + e.getMessage(), e);
            }
        }
        return Llama3Tokenizer.load(p);
    }

    @Override
    public Verdict process(Document doc) {
        return Verdict.keep(doc);
    }
}
