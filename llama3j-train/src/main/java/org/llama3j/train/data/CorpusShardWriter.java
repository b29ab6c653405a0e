package org.llama3j.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Splits tokenized documents into train and validation shards in a directory
 * ({@code train-00000.bin}, {@code val-00000.bin}, … see {@link ShardSet}), starting a new shard
 * when one reaches {@code maxTokensPerShard}. Document {@code i} (counting from 0) goes to
 * validation when {@code floor((i+1)·f) > floor(i·f)}: exactly {@code floor(n·f)} of n documents,
 * evenly spread, with no randomness.
 */
public final class CorpusShardWriter implements AutoCloseable {

    /** What was written. */
    public record Summary(long trainDocuments, long trainTokens, long valDocuments, long valTokens,
                          int trainShards, int valShards) {
    }

    private final Path dir;
    private final int vocabSize;
    private final double valFraction;
    private final long maxTokensPerShard;
    private final Split train = new Split("train");
    private final Split val = new Split("val");
    private long documents;

    private final class Split {
        final String name;
        ShardWriter current;
        int shards;
        long docs;
        long tokens;

        Split(String name) {
            this.name = name;
        }

        void add(int[] doc) throws IOException {
            if (current != null && current.tokenCount() + doc.length > maxTokensPerShard && current.tokenCount() > 0) {
                current.close();
                current = null;
            }
            if (current == null) {
                current = new ShardWriter(dir.resolve(ShardSet.fileName(name, shards++)), vocabSize);
            }
            current.addDocument(doc);
            docs++;
            tokens += doc.length;
        }

        void close() throws IOException {
            if (current != null) {
                current.close();
            }
        }
    }

    public CorpusShardWriter(Path dir, int vocabSize, double valFraction, long maxTokensPerShard) throws IOException {
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("val fraction must be in [0, 1), got " + valFraction);
        }
        if (maxTokensPerShard <= 0) {
            throw new IllegalArgumentException("max tokens per shard must be > 0, got " + maxTokensPerShard);
        }
        Files.createDirectories(dir);
        this.dir = dir;
        this.vocabSize = vocabSize;
        this.valFraction = valFraction;
        this.maxTokensPerShard = maxTokensPerShard;
    }

    /** Adds one tokenized document (already framed with BOS … EOS). */
    public void add(int[] document) throws IOException {
        long i = documents++;
        boolean toVal = Math.floor((i + 1) * valFraction) > Math.floor(i * valFraction);
        (toVal ? val : train).add(document);
    }

    public Summary summary() {
        return new Summary(train.docs, train.tokens, val.docs, val.tokens, train.shards, val.shards);
    }

    @Override
    public void close() throws IOException {
        try {
            train.close();
        } finally {
            val.close();
        }
    }
}
