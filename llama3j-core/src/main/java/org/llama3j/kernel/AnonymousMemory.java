package org.llama3j.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Large off-heap buffers for copies of weights made once (an interleaved matrix): anonymous
 * {@code mmap} memory, which the kernel zeroes page by page as it is first written, where
 * {@link Arena#allocate} zeroes all of it up front. That up-front zeroing made a 148 MB matrix
 * resident before its copy began, while the mapped pages it was copied from were still resident
 * too: 150 MB over the resident-memory budget at the peak (bench/RESULTS.md). Transparent huge pages
 * were tried and dropped: with this machine's {@code defrag=madvise} a fault could stall for
 * compaction, and copies ran 3× slower, not faster. Off Linux, or if a native call is refused, the
 * buffer is an ordinary zeroed allocation.
 */
final class AnonymousMemory {
    /** Linux {@code include/uapi/asm-generic/mman-common.h} and {@code mman.h} (x86-64 and aarch64 alike). */
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;

    static {
        MethodHandle mmap = null, munmap = null;
        if (System.getProperty("os.name", "").startsWith("Linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            } catch (RuntimeException | Error e) {
                mmap = munmap = null;
            }
        }
        MMAP = mmap;
        MUNMAP = munmap;
    }

    private AnonymousMemory() {
    }

    /** A zeroed buffer of {@code bytes}, page aligned, unmapped when it becomes unreachable. */
    static MemorySegment allocate(long bytes) {
        if (MMAP != null) {
            try {
                MemorySegment address = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE,
                        MAP_PRIVATE_ANONYMOUS, -1, 0L);
                if (address.address() != -1L) {
                    long start = address.address();
                    return address.reinterpret(bytes, Arena.ofAuto(), s -> unmap(start, bytes));
                }
            } catch (Throwable e) {
                // fall through to an ordinary allocation
            }
        }
        return Arena.ofAuto().allocate(bytes, 64);
    }

    private static void unmap(long address, long bytes) {
        try {
            int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), bytes);
        } catch (Throwable e) {
            // the process keeps the mapping: a leak, not an error
        }
    }
}
