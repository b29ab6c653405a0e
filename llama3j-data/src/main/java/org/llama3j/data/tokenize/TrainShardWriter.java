package org.llama3j.data.tokenize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.llama3j.data.Document;
import org.llama3j.train.data.CorpusShardWriter;

/**
 * {@link TokenShardWriter} onto the trainer's shard format: {@code train-NNNNN.bin} / {@code val-NNNNN.bin} in one
 * directory via llama3j-train's {@link CorpusShardWriter} (which spreads exactly {@code floor(n * valFraction)}
 * documents evenly into validation and writes each shard atomically).
 */
public final class TrainShardWriter implements TokenShardWriter {

    private final CorpusShardWriter out;
    private final Path dir;

    public TrainShardWriter(Path dir, int vocabSize, double valFraction, long maxTokensPerShard) {
        this.dir = dir;
        try {
            this.out = new CorpusShardWriter(dir, vocabSize, valFraction, maxTokensPerShard);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create token shards in " + dir, e);
        }
    }

    @Override
    public void write(Document doc, int[] tokens) {
        try {
            out.add(tokens);
        } catch (IOException e) {
            throw new UncheckedIOException("writing tokens of " + doc.id() + " to " + dir + " failed", e);
        }
    }

    public CorpusShardWriter.Summary summary() {
        return out.summary();
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing token shards in " + dir + " failed", e);
        }
    }
}
