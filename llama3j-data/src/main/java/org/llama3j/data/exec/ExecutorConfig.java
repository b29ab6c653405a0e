package org.llama3j.data.exec;

import java.nio.file.Path;
import org.llama3j.data.io.Compression;
import org.llama3j.data.io.OutputFormat;

/**
 * Where and how the embedded executor runs.
 *
 * @param outputDir         final shards ({@code part-NNNNN.jsonl[.gz|.zst]} or {@code part-NNNNN.parquet}),
 *                          quarantine, removals, stats.json
 * @param workDir           intermediate stage outputs and completion markers (safe to delete after success)
 * @param threads           worker threads; each streams one task (input file) at a time
 * @param outputCompression compression of the final shards
 * @param outputFormat      format of the final shards (work files between stages are always JSONL)
 */
public record ExecutorConfig(Path outputDir, Path workDir, int threads, Compression outputCompression,
                             OutputFormat outputFormat) {

    public ExecutorConfig {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    public ExecutorConfig(Path outputDir, Path workDir, int threads, Compression outputCompression) {
        this(outputDir, workDir, threads, outputCompression, OutputFormat.JSONL);
    }

    public static ExecutorConfig of(Path outputDir, int threads) {
        return new ExecutorConfig(outputDir, outputDir.resolve("_work"), threads, Compression.NONE);
    }

    /** The final shard of input file {@code task}. */
    public Path finalOutput(int task) {
        return outputDir.resolve(outputFormat.shardName(task, outputCompression));
    }

    public ExecutorConfig withThreads(int n) {
        return new ExecutorConfig(outputDir, workDir, n, outputCompression, outputFormat);
    }
}
