package org.llama3j.format.safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.llama3j.tensor.MappedFiles;

/** Opens single safetensors files by memory-mapping them (any size). See {@link SafetensorsModel} for sharded models. */
public final class SafetensorsReader {
    private SafetensorsReader() {
    }

    public static SafetensorsFile open(Path path) throws IOException {
        String source = String.valueOf(path.getFileName());
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment data = MappedFiles.mapReadOnly(ch, arena);
            return new SafetensorsFile(source, arena, data, SafetensorsHeaderParser.parse(source, data));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Parses safetensors bytes already in memory; tensors are slices of {@code data}. */
    public static SafetensorsFile read(String source, MemorySegment data) {
        return new SafetensorsFile(source, null, data, SafetensorsHeaderParser.parse(source, data));
    }
}
