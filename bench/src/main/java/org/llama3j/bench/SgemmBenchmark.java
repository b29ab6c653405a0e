package org.llama3j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
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
 * OpenBLAS {@code cblas_sgemm} on {@link GemmBenchmark}'s F32 shape (C[512×2048] = X[512×2048] ·
 * Wᵀ, W row-major 2048×2048), called through the FFM API, as the reference for llama3j's F32
 * GEMM. Needs {@code libopenblas.so.0} (Debian: libopenblas0-pthread); path override:
 * {@code -Dllama3j.openblas=/path/libopenblas.so}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class SgemmBenchmark {
    // cblas.h: CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    @Param({"1", "2"})
    int threads;

    MethodHandle sgemm;
    MemorySegment x;
    MemorySegment w;
    MemorySegment c;

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        Linker linker = Linker.nativeLinker();
        SymbolLookup blas = SymbolLookup.libraryLookup(System.getProperty("llama3j.openblas", "libopenblas.so.0"), Arena.global());
        MethodHandle setThreads = linker.downcallHandle(blas.find("openblas_set_num_threads").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        setThreads.invokeExact(threads);
        sgemm = linker.downcallHandle(blas.find("cblas_sgemm").orElseThrow(), FunctionDescriptor.ofVoid(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        int t = GemmBenchmark.TOKENS, n = GemmBenchmark.N;
        x = Arena.global().allocate(4L * t * n, 64);
        w = Arena.global().allocate(4L * n * n, 64);
        c = Arena.global().allocate(4L * t * n, 64);
        MemorySegment.copy(Weights.activations(t, n, 4), 0, x, ValueLayout.JAVA_FLOAT, 0, t * n);
        MemorySegment.copy(Weights.activations(n, n, 3), 0, w, ValueLayout.JAVA_FLOAT, 0, n * n);
    }

    @Benchmark
    public MemorySegment sgemm() throws Throwable {
        int t = GemmBenchmark.TOKENS, n = GemmBenchmark.N;
        sgemm.invokeExact(ROW_MAJOR, NO_TRANS, TRANS, t, n, n, 1f, x, n, w, n, 0f, c, n);
        return c;
    }
}
