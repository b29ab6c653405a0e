package org.llama3j.train.checkpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory of checkpoints {@code ckpt-<step>.l3jc}. {@link #save} is atomic: it writes
 * {@code .ckpt-<step>.l3jc.tmp}, forces it to disk, renames it into place and forces the
 * directory, then deletes all but the newest {@code keep}; a failure at any point deletes the
 * temporary file and leaves every earlier checkpoint as it was. {@link #loadLatestValid} returns
 * the newest checkpoint whose checksum verifies, reporting each one it had to pass over.
 */
public final class CheckpointStore {

    /** Opens the stream a checkpoint is written to; replaceable so tests can simulate a full disk. */
    @FunctionalInterface
    public interface Sink {
        /** The stream must force the data to the device on {@code close()}. */
        OutputStream open(Path file) throws IOException;
    }

    /** A file channel stream that {@code fsync}s on close. */
    public static final Sink DURABLE = file -> {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new BufferedOutputStream(new java.io.FilterOutputStream(Channels.newOutputStream(ch)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                try {
                    flush();
                    ch.force(true);
                } finally {
                    ch.close();
                }
            }
        }, 1 << 20);
    };

    private static final Pattern NAME = Pattern.compile("ckpt-(\\d+)\\.l3jc");

    /** A checkpoint read back from disk. */
    public record Loaded(Path file, TrainingState state) {
    }

    private final Path dir;
    private final int keep;
    private final Sink sink;

    public CheckpointStore(Path dir, int keep) {
        this(dir, keep, DURABLE);
    }

    public CheckpointStore(Path dir, int keep, Sink sink) {
        if (keep < 1) {
            throw new IllegalArgumentException("checkpoint keep must be >= 1, got " + keep);
        }
        this.dir = dir;
        this.keep = keep;
        this.sink = sink;
    }

    public Path dir() {
        return dir;
    }

    public static String fileName(long step) {
        return String.format("ckpt-%08d.l3jc", step);
    }

    /** Writes the state atomically and prunes old checkpoints; returns the file. */
    public Path save(TrainingState state) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(fileName(state.step()));
        Path temp = dir.resolve("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try {
            try (OutputStream out = sink.open(temp)) {
                CheckpointCodec.write(state, out);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        prune();
        return target;
    }

    private void forceDirectory() {
        // The rename is durable only once the directory entry is on disk; Linux allows fsync on a
        // directory opened for reading. Other systems may refuse, and then there is nothing to do.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // best effort (see above)
        }
    }

    private void prune() throws IOException {
        List<Path> all = list();
        for (int i = 0; i + keep < all.size(); i++) {
            Files.deleteIfExists(all.get(i));
        }
    }

    /** Completed checkpoints, oldest first. */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> Long.compare(stepOf(a), stepOf(b))).toList();
        }
    }

    static long stepOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a checkpoint file name: " + p);
        }
        return Long.parseLong(m.group(1));
    }

    public static TrainingState read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            return CheckpointCodec.read(in, file.toString());
        }
    }

    /** The newest checkpoint that reads back intact; {@code warnings} hears about each one skipped. */
    public Optional<Loaded> loadLatestValid(Consumer<String> warnings) throws IOException {
        List<Path> all = new ArrayList<>(list());
        for (int i = all.size() - 1; i >= 0; i--) {
            Path p = all.get(i);
            try {
                return Optional.of(new Loaded(p, read(p)));
            } catch (CheckpointException | IOException e) {
                warnings.accept("skipping checkpoint " + p + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }
}
