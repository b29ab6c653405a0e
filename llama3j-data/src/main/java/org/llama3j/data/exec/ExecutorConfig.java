package org.llama3j.data.exec;

import java.nio.file.Path;
import org.llama3j.data.io.Compression;

/**
 * Where and how the embedded executor runs.
 *
 * @param outputDir         final shards ({@code part-NNNNN.jsonl[.gz|.zst]}), quarantine, removals, stats.json
 * @param workDir           intermediate stage outputs and completion markers (safe to delete after success)
 * @param threads           worker threads; each streams one task (input file) at a time
 * @param outputCompression compression of the final shards
 */
public record ExecutorConfig(Path outputDir, Path workDir, int threads, Compression outputCompression) {

    public ExecutorConfig {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    public static ExecutorConfig of(Path outputDir, int threads) {
        return new ExecutorConfig(outputDir, outputDir.resolve("_work"), threads, Compression.NONE);
    }
}
