package org.llama3j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.model.GgufModelLoader;
import org.llama3j.model.InferenceState;
import org.llama3j.model.LayerWeights;
import org.llama3j.model.LlamaModel;
import org.llama3j.model.ModelShape;
import org.llama3j.model.RandomModelWriter;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/** The kernel warm-up runs the requested rounds on one matrix per weight type, stops on request, and changes no result. */
class KernelWarmupTest {
    @TempDir
    Path tmp;

    private GgufFile model(DType type) throws Exception {
        Path vocab = Path.of(getClass().getResource("/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf").toURI());
        Path out = tmp.resolve("m-" + type + ".gguf");
        try (GgufFile v = GgufReader.open(vocab)) {
            RandomModelWriter.write(out, new ModelShape(64, 2, 4, 2, 160, 256, 500000f, 1e-5f, null, false), v, type, 5);
        }
        return GgufReader.open(out);
    }

    private static List<Tensor> matrices(LlamaModel m) {
        LayerWeights l = m.weights().layers().getFirst();
        return List.of(l.wq(), l.wk(), l.wv(), l.wo(), l.wGate(), l.wUp(), l.wDown(), m.weights().output());
    }

    @Test
    void runsTheRoundsOnOneMatrixPerType() throws Exception {
        try (GgufFile f = model(DType.Q4_0)) {
            LlamaModel m = GgufModelLoader.load(f);
            List<DType> expected = new ArrayList<>();
            for (Tensor t : matrices(m)) {
                if (!expected.contains(t.type())) {
                    expected.add(t.type());
                }
            }
            try (KernelWarmup w = KernelWarmup.start(matrices(m), 3)) {
                w.await();
                assertEquals(3, w.roundsDone());
                assertEquals(expected, w.types());
            }
        }
    }

    @Test
    void closeStopsAnEndlessWarmup() throws Exception {
        try (GgufFile f = model(DType.Q8_0)) {
            LlamaModel m = GgufModelLoader.load(f);
            KernelWarmup w = KernelWarmup.start(matrices(m), Integer.MAX_VALUE);
            w.close();
            assertTrue(w.roundsDone() < Integer.MAX_VALUE);
            int done = w.roundsDone();
            Thread.sleep(20);
            assertEquals(done, w.roundsDone(), "rounds went on after close()");
        }
        assertThrows(IllegalArgumentException.class, () -> KernelWarmup.start(List.of(), -1));
    }

    @Test
    void logitsAreTheSameWhileAWarmupRuns() throws Exception {
        int[] prompt = {128000, 791, 4062, 14198, 39935, 35308, 927};
        for (DType type : List.of(DType.Q8_0, DType.Q4_0)) {
            try (GgufFile f = model(type)) {
                LlamaModel m = GgufModelLoader.load(f);
                float[] before = logits(m, prompt);
                try (KernelWarmup w = KernelWarmup.start(matrices(m), Integer.MAX_VALUE)) {
                    for (int i = 0; i < 3; i++) {
                        assertArrayEquals(before, logits(m, prompt), type + " logits changed while warming up");
                    }
                }
                assertArrayEquals(before, logits(m, prompt), type + " logits changed after warming up");
            }
        }
    }

    /** The last token's logits of the prompt, then of one decoded token (both kernel paths). */
    private static float[] logits(LlamaModel m, int[] prompt) {
        InferenceState s = m.newState(16);
        float[] p = m.forward(s, prompt, prompt.length, prompt.length - 1);
        float[] d = m.forward(s, new int[] {1268}, 1, 0);
        float[] both = new float[p.length + d.length];
        System.arraycopy(p, 0, both, 0, p.length);
        System.arraycopy(d, 0, both, p.length, d.length);
        return both;
    }
}
