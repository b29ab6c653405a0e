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
 * Decode-shaped matrix × vector (one token) on a Llama-3.2-1B FFN matrix (8192 × 2048): the
 * weight bytes per call divided by the time is the kernel's effective bandwidth, to compare with
 * {@link BandwidthBenchmark} (the interleaved copies take about as many bytes as the file's blocks). Weight bytes:
 * Q4_0 9.4 MB, Q8_0 17.8 MB, Q4_K 9.4 MB, Q6_K 13.8 MB, F16 33.6 MB, F32 67.1 MB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatVecBenchmark {
    @Param({"Q4_0", "Q8_0", "Q4_K", "Q6_K", "F16", "F32"})
    String type;

    @Param({"1", "2"})
    int threads;

    /** With the kernels' interleaved copy (Q4_0, Q8_0, Q4_K, Q6_K on 512-bit vectors; what a model uses from its second pass) or the file layout. */
    @Param({"true", "false"})
    boolean prepared;

    Tensor w;
    float[] x;
    float[] out;
    final Activations act = new Activations();

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        w = Weights.matrix(DType.valueOf(type), 8192, 2048, 1);
        if (prepared) {
            MatMuls.prepare(w);
        }
        x = Weights.activations(1, 2048, 2);
        out = new float[8192];
    }

    @Benchmark
    public float[] matVec() {
        MatMuls.multiply(w, act.set(x, 1, 2048), out);
        return out;
    }
}
