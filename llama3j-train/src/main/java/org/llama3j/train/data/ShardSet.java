package org.llama3j.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shard files of a split in a directory: {@code <split>-NNNNN.bin} as written by
 * {@link CorpusShardWriter}, in name order.
 */
public final class ShardSet {

    private ShardSet() {
    }

    public static String fileName(String split, int index) {
        return String.format("%s-%05d.bin", split, index);
    }

    /** The shards of {@code split} ("train", "val") in {@code dir}, sorted; empty if none. */
    public static List<Path> list(Path dir, String split) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, "shard directory does not exist");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(split + "-") && n.endsWith(".bin");
            }).sorted().toList();
        }
    }
}
