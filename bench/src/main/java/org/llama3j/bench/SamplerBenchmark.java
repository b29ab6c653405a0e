package org.llama3j.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.llama3j.generate.Sampler;
import org.llama3j.generate.SamplingParams;
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
 * One {@link Sampler#sample} over Llama 3's 128,256-token vocabulary, the per-sequence cost the
 * server pays after every decode step. The logits are Gaussian with σ = 3, so, as with a trained
 * model, nearly every token lies within {@code Sampler.NEGLIGIBLE} of the best and is a candidate:
 * the case where sorting all candidates for top-k used to cost milliseconds per token.
 * {@code sampling}: {@code openai} (the server's OpenAI defaults: temperature 1, top-k 40, min-p 0.05),
 * {@code ollama} (temperature 0.8, top-k 40, top-p 0.9, repeat penalty 1.1 over 64), {@code greedy}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class SamplerBenchmark {
    private static final int VOCAB = 128_256;

    @Param({"openai", "ollama", "greedy"})
    public String sampling;

    private final float[] base = new float[VOCAB];
    private final float[] logits = new float[VOCAB];
    private final int[] history = new int[64];
    private Sampler sampler;

    @Setup
    public void setUp() {
        Random r = new Random(1);
        for (int i = 0; i < VOCAB; i++) {
            base[i] = (float) (r.nextGaussian() * 3);
        }
        for (int i = 0; i < history.length; i++) {
            history[i] = r.nextInt(VOCAB);
        }
        sampler = new Sampler(switch (sampling) {
            case "openai" -> new SamplingParams(1f, 40, 1f, 0.05f, 1f, 64, 7);
            case "ollama" -> new SamplingParams(0.8f, 40, 0.9f, 0f, 1.1f, 64, 7);
            case "greedy" -> SamplingParams.GREEDY;
            default -> throw new IllegalArgumentException("sampling: openai, ollama or greedy, got " + sampling);
        });
    }

    @Benchmark
    public int sample() {
        // the penalty changes logits in place: every call starts from the same row
        System.arraycopy(base, 0, logits, 0, VOCAB);
        return sampler.sample(logits, 0, VOCAB, history, history.length);
    }
}
