package org.llama3j.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.llama3j.kernel.Attention;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Causal attention of one layer of a prefill on one thread, Llama-3.2-1B shaped (32 query heads over 8 KV heads,
 * head size 64), KV-head-major as the model runs it: {@code tokens · (tokens + 1) / 2 · 32} scores and as many
 * weighted value rows per call. 4 · 64 FLOPs each, so GFLOP/s = 256 · scores / (ns per call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class AttentionBenchmark {
    static final int HEADS = 32;
    static final int KV_HEADS = 8;
    static final int HEAD_DIM = 64;

    @Param({"512", "2048"})
    int tokens;

    float[] q;
    float[] keys;
    float[] values;
    float[] out;

    @Setup
    public void setUp() {
        Random rnd = new Random(5);
        int kvDim = KV_HEADS * HEAD_DIM;
        int cache = (tokens + Attention.KEY_BLOCK - 1) / Attention.KEY_BLOCK * Attention.KEY_BLOCK * kvDim;
        q = gaussian(rnd, tokens * HEADS * HEAD_DIM);
        keys = gaussian(rnd, cache);
        values = gaussian(rnd, cache);
        out = new float[q.length];
    }

    @Benchmark
    public float[] prefillLayer() {
        int group = HEADS / KV_HEADS;
        int kvDim = KV_HEADS * HEAD_DIM;
        float scale = (float) (1 / Math.sqrt(HEAD_DIM));
        for (int kh = 0; kh < KV_HEADS; kh++) {
            for (int t = 0; t < tokens; t++) {
                int qOff = (t * HEADS + kh * group) * HEAD_DIM;
                Attention.groupAttend(q, qOff, group, HEAD_DIM, keys, values, kvDim, kh * HEAD_DIM, t + 1, scale, out, qOff);
            }
        }
        return out;
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
