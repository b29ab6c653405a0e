package org.llama3j.data.io;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The format of a pipeline's final shards ({@code outputFormat} in the pipeline YAML), shared by the embedded and
 * Spark executors so both name and write shards alike. Compression is the file's ({@code .jsonl.gz}) for JSONL and
 * the column chunks' codec for Parquet.
 */
public enum OutputFormat {
    JSONL, PARQUET;

    /** The shard file name of task {@code task}: {@code part-00003.jsonl.zst}, {@code part-00003.parquet}. */
    public String shardName(int task, Compression compression) {
        return switch (this) {
            case JSONL -> String.format("part-%05d.jsonl%s", task, compression.extension());
            case PARQUET -> String.format("part-%05d.parquet", task);
        };
    }

    public DocumentWriter open(Path file, Compression compression) {
        return switch (this) {
            case JSONL -> new JsonlWriter(file);
            case PARQUET -> new ParquetDocumentWriter(file, compression);
        };
    }

    public static OutputFormat named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "jsonl" -> JSONL;
            case "parquet" -> PARQUET;
            default -> throw new IllegalArgumentException("unknown output format '" + name + "' (known: jsonl, parquet)");
        };
    }
}
