package org.llama3j.bench;

import java.util.concurrent.TimeUnit;
import org.llama3j.kernel.Activations;
import org.llama3j.kernel.MatMuls;
import org.llama3j.kernel.Parallel;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;
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
 * Prefill-shaped matrix × matrix: 512 tokens times a 2048 × 2048 matrix (the attention
 * projections of a Llama-3.2-1B), 4.29 GFLOP per call, so GFLOP/s = 4295 / (ms per call).
 * {@link SgemmBenchmark} runs the same F32 product through OpenBLAS. {@code prepared=true} gives Q4_0/Q8_0 their
 * interleaved copy first, as a model does after its first pass: Q4_0 then runs the 16-bit pair GEMM, Q8_0 packs
 * its F32 panels from the copy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBenchmark {
    static final int TOKENS = 512;
    static final int N = 2048;

    @Param({"F32", "F16", "Q8_0", "Q4_0"})
    String type;

    @Param({"1", "2"})
    int threads;

    @Param({"true", "false"})
    boolean prepared;

    Tensor w;
    float[] x;
    float[] out;
    final Activations act = new Activations();

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        w = Weights.matrix(DType.valueOf(type), N, N, 3);
        if (prepared) {
            MatMuls.prepare(w);
        }
        x = Weights.activations(TOKENS, N, 4);
        out = new float[TOKENS * N];
    }

    @Benchmark
    public float[] gemm() {
        MatMuls.multiply(w, act.set(x, TOKENS, N), out);
        return out;
    }
}
