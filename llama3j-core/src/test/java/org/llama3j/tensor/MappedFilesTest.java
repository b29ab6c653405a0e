package org.llama3j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedFilesTest {
    @TempDir
    Path dir;

    private Path file(byte[] bytes) throws IOException {
        Path p = dir.resolve("data.bin");
        Files.write(p, bytes);
        return p;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    @Test
    void mapsTheFileAsTheSameSegmentClassAsAllocatedMemory() throws IOException {
        byte[] bytes = random(3 * 4096 + 123);
        try (Arena arena = Arena.ofShared(); FileChannel ch = FileChannel.open(file(bytes), StandardOpenOption.READ)) {
            MemorySegment view = MappedFiles.mapReadOnly(ch, arena);
            // one class for every segment the kernels load from (the reason for the view)
            assertEquals(arena.allocate(8).getClass(), view.getClass());
            assertFalse(view.isMapped());
            assertTrue(MappedFiles.isFileBacked(view));
            assertTrue(MappedFiles.isFileBacked(view.asSlice(4096, 100)));
            assertArrayEquals(bytes, view.toArray(ValueLayout.JAVA_BYTE));
            assertTrue(view.isReadOnly());
        }
    }

    @Test
    void releasedPagesReadBackFromTheFile() throws IOException {
        byte[] bytes = random(8 * 4096 + 5);
        try (Arena arena = Arena.ofShared(); FileChannel ch = FileChannel.open(file(bytes), StandardOpenOption.READ)) {
            MemorySegment view = MappedFiles.mapReadOnly(ch, arena);
            assertArrayEquals(bytes, view.toArray(ValueLayout.JAVA_BYTE));
            MappedFiles.release(view.asSlice(4096 + 17, 3 * 4096));
            MappedFiles.release(view);
            assertArrayEquals(bytes, view.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void releaseLeavesOtherMemoryAlone() {
        // madvise(MADV_DONTNEED) on anonymous memory would zero it: release must not touch it
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment own = arena.allocate(4 * 4096, 4096);
            own.fill((byte) 0x5a);
            assertFalse(MappedFiles.isFileBacked(own));
            MappedFiles.release(own);
            MappedFiles.release(own.asSlice(4096, 4096));
            for (long i = 0; i < own.byteSize(); i++) {
                assertEquals((byte) 0x5a, own.get(ValueLayout.JAVA_BYTE, i));
            }
        }
        MemorySegment heap = MemorySegment.ofArray(new byte[] {1, 2, 3});
        assertFalse(MappedFiles.isFileBacked(heap));
        MappedFiles.release(heap);
        assertArrayEquals(new byte[] {1, 2, 3}, heap.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void theViewDiesWithItsArena() throws IOException {
        MemorySegment view;
        try (Arena arena = Arena.ofShared(); FileChannel ch = FileChannel.open(file(random(4096)), StandardOpenOption.READ)) {
            view = MappedFiles.mapReadOnly(ch, arena);
        }
        MemorySegment closed = view;
        assertThrows(IllegalStateException.class, () -> closed.get(ValueLayout.JAVA_BYTE, 0));
        assertFalse(MappedFiles.isFileBacked(view));
    }
}
