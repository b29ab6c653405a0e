package org.llama3j.format.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.llama3j.tensor.MappedFiles;

/** Opens GGUF files (versions 2 and 3, little-endian) by memory-mapping them. */
public final class GgufReader {
    private GgufReader() {
    }

    /**
     * Maps {@code path} read-only and parses its header. Files of any size work (the mapping is a
     * {@link MemorySegment}, not a 2 GiB ByteBuffer).
     *
     * @throws GgufFormatException if the file is not a valid GGUF file
     * @throws IOException if it cannot be read
     */
    public static GgufFile open(Path path) throws IOException {
        String source = String.valueOf(path.getFileName());
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment data = MappedFiles.mapReadOnly(ch, arena);
            GgufFile file = new GgufFile(source, arena, data, GgufHeaderParser.parse(source, data));
            return file;
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Parses GGUF bytes already in memory; the returned file's tensors are slices of {@code data},
     * and closing it does nothing to {@code data}.
     *
     * @param source a name for messages
     */
    public static GgufFile read(String source, MemorySegment data) {
        return new GgufFile(source, null, data, GgufHeaderParser.parse(source, data));
    }
}
