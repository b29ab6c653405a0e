package org.llama3j.tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Read-only file mappings handed out as plain native segments, the same segment class as
 * {@link Arena#allocate} returns.
 *
 * <p>Why not the {@code MappedMemorySegmentImpl} that {@link FileChannel#map} returns: C2 profiles
 * the receiver class inside the JDK's shared memory-access code, so once any vector load has read a
 * mapped segment, every kernel's loads from native segments (activations, interleaved weight copies)
 * compile against two classes. The Q4_0 one-token kernel then streamed 15 GB/s per core instead of
 * 20 (bench/RESULTS.md, "One segment class"). A native view of the same pages keeps every load
 * monomorphic.
 *
 * <p>The view loses {@link MemorySegment#unload()}; {@link #release} does its work (drop a range's
 * resident pages, to be read back from the file if touched again) for segments inside a mapping
 * made here, and nothing for any other memory, whose pages hold the only copy of their data.
 */
public final class MappedFiles {
    /** Linux {@code include/uapi/asm-generic/mman-common.h}. */
    private static final int MADV_DONTNEED = 4;
    private static final long PAGE = 4096;

    /** The live mappings: address ranges of the views and the arenas that own them. */
    private static final List<Region> REGIONS = new CopyOnWriteArrayList<>();

    private record Region(long start, long end, Arena arena) {
        boolean contains(MemorySegment s) {
            return arena.scope().isAlive() && s.address() >= start && s.address() + s.byteSize() <= end;
        }
    }

    private MappedFiles() {
    }

    /**
     * Maps all of {@code ch} read-only for the life of {@code arena}, as a native segment (or as the
     * mapped segment itself where native access is refused or the platform has no {@code madvise}).
     */
    public static MemorySegment mapReadOnly(FileChannel ch, Arena arena) throws IOException {
        MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        if (!LINUX || mapped.byteSize() == 0) {
            return mapped;
        }
        MemorySegment view;
        try {
            // read-only like the mapping: a write through a writable view of PROT_READ pages would crash the JVM
            view = MemorySegment.ofAddress(mapped.address()).reinterpret(mapped.byteSize(), arena, null).asReadOnly();
        } catch (RuntimeException | Error e) { // native access refused (--enable-native-access not given)
            return mapped;
        }
        REGIONS.removeIf(r -> !r.arena().scope().isAlive());
        REGIONS.add(new Region(view.address(), view.address() + view.byteSize(), arena));
        return view;
    }

    /** Whether {@code s} lies inside a live file mapping (a view from {@link #mapReadOnly}, or a mapped segment). */
    public static boolean isFileBacked(MemorySegment s) {
        return s.isMapped() || region(s) != null;
    }

    /**
     * Drops the resident pages of {@code s} if it lies in a file mapping (they are read back from
     * the file if touched again; pages it shares with neighbouring data are dropped too, which costs
     * those a re-read, never their contents). Does nothing for other memory.
     */
    public static void release(MemorySegment s) {
        if (s.isMapped()) {
            s.unload();
            return;
        }
        Region r = region(s);
        if (r == null || s.byteSize() == 0) {
            return;
        }
        long from = Math.max(r.start(), s.address() & -PAGE);
        long to = Math.min(r.end(), s.address() + s.byteSize());
        MethodHandle madvise = Madvise.HANDLE;
        if (madvise == null) {
            return;
        }
        try {
            int ignored = (int) madvise.invokeExact(MemorySegment.ofAddress(from), to - from, MADV_DONTNEED);
        } catch (Throwable e) {
            // the pages stay resident: memory, not correctness
        }
    }

    private static Region region(MemorySegment s) {
        if (!s.isNative()) {
            return null;
        }
        for (Region r : REGIONS) {
            if (r.contains(s)) {
                return r;
            }
        }
        return null;
    }

    private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

    /**
     * The {@code madvise} downcall, made on first use: linking it costs about a tenth of a second,
     * which at class initialisation was paid before the first token (bench/cold-start.sh).
     */
    private static final class Madvise {
        static final MethodHandle HANDLE = link();

        private static MethodHandle link() {
            if (!LINUX) {
                return null;
            }
            try {
                Linker linker = Linker.nativeLinker();
                return linker.downcallHandle(linker.defaultLookup().find("madvise").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            } catch (RuntimeException | Error e) {
                return null;
            }
        }
    }
}
