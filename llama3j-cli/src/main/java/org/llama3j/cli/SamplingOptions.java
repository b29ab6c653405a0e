package org.llama3j.cli;

import java.util.concurrent.ThreadLocalRandom;
import org.llama3j.generate.SamplingParams;
import picocli.CommandLine.Option;

/** Sampler options shared by generate and chat; defaults are llama.cpp's. */
final class SamplingOptions {
    @Option(names = "--temperature", paramLabel = "T", description = "0 = greedy (default: ${DEFAULT-VALUE}).", defaultValue = "0.8")
    float temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "0 = off (default: ${DEFAULT-VALUE}).", defaultValue = "40")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", description = "1 = off (default: ${DEFAULT-VALUE}).", defaultValue = "0.95")
    float topP;

    @Option(names = "--min-p", paramLabel = "P", description = "0 = off (default: ${DEFAULT-VALUE}).", defaultValue = "0.05")
    float minP;

    @Option(names = "--repeat-penalty", paramLabel = "R", description = "1 = off (default: ${DEFAULT-VALUE}).", defaultValue = "1.0")
    float repeatPenalty;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: random).")
    Long seed;

    long effectiveSeed() {
        if (seed == null) {
            seed = ThreadLocalRandom.current().nextLong(1L << 32);
        }
        return seed;
    }

    SamplingParams params() {
        return new SamplingParams(temperature, topK, topP, minP, repeatPenalty, 64, effectiveSeed());
    }
}
