package org.llama3j.model.lora;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.model.ModelShape;
import org.llama3j.model.RandomModelWriter;
import org.llama3j.tensor.DType;

/** Tiny random base models and adapters for the LoRA tests. */
final class LoraTestModels {
    static final int[] PROMPT = {128000, 791, 4062, 14198, 39935, 35308};

    private LoraTestModels() {
    }

    /** A 2-layer random Llama (dim 64, 4 heads, 2 KV heads, ffn 160) with the Llama 3 vocabulary. */
    static Path base(Path dir, DType type) throws IOException, URISyntaxException {
        Path vocab = Path.of(LoraTestModels.class.getResource("/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf").toURI());
        Path out = dir.resolve("base-" + type + ".gguf");
        try (GgufFile v = GgufReader.open(vocab)) {
            RandomModelWriter.write(out, new ModelShape(64, 2, 4, 2, 160, 64, 500000f, 1e-5f, null, false), v, type, 3);
        }
        return out;
    }

    /** An adapter with random A and B (B non-zero, as after training) on every site of {@code config}. */
    static LoraAdapter random(LoraConfig config, LoraBase base, long seed, double bStd) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<LoraAdapter.Site, LoraMatrices> m = new HashMap<>();
        for (int l = 0; l < base.layers(); l++) {
            for (Projection p : config.orderedTargets()) {
                int in = p.in(base);
                int out = p.out(base);
                float[] a = new float[config.rank() * in];
                float[] b = new float[out * config.rank()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) ((rnd.nextDouble() * 2 - 1) / Math.sqrt(in));
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) (rnd.nextGaussian() * bStd);
                }
                m.put(new LoraAdapter.Site(l, p), new LoraMatrices(config.rank(), in, out, a, b));
            }
        }
        return new LoraAdapter(config, base, m);
    }
}
