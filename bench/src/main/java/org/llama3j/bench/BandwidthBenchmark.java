package org.llama3j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.llama3j.kernel.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory-bandwidth roofline: summing 1 GiB of off-heap floats (far larger than any cache)
 * split over the worker pool like a matrix × vector. GB/s = 1073.7 / (ms per call). Decode of a
 * model of S bytes cannot beat (this bandwidth / S) tokens per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class BandwidthBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final long BYTES = 1L << 30;

    @Param({"1", "2"})
    int threads;

    MemorySegment data;
    final float[] partial = new float[64];

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        data = Arena.global().allocate(BYTES, 64);
        data.fill((byte) 1);
    }

    @Benchmark
    public float streamSum() {
        int chunks = 1 << 14;
        long chunkBytes = BYTES / chunks;
        Parallel.forRange(chunks, 1, (from, to) -> {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            long step = S.vectorByteSize();
            for (long off = from * chunkBytes, end = to * chunkBytes; off < end; off += 4 * step) {
                a0 = a0.add(FloatVector.fromMemorySegment(S, data, off, ByteOrder.LITTLE_ENDIAN));
                a1 = a1.add(FloatVector.fromMemorySegment(S, data, off + step, ByteOrder.LITTLE_ENDIAN));
                a2 = a2.add(FloatVector.fromMemorySegment(S, data, off + 2 * step, ByteOrder.LITTLE_ENDIAN));
                a3 = a3.add(FloatVector.fromMemorySegment(S, data, off + 3 * step, ByteOrder.LITTLE_ENDIAN));
            }
            partial[from * 64 / chunks] = a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
        });
        return partial[0];
    }
}
