package org.llama3j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.Llama;
import org.llama3j.generate.GenerationResult;
import org.llama3j.generate.SamplingParams;
import org.llama3j.generate.TokenListener;
import org.llama3j.model.lora.LoraAdapter;
import org.llama3j.model.lora.LoraBase;
import org.llama3j.model.lora.LoraConfig;
import org.llama3j.model.lora.LoraMatrices;
import org.llama3j.model.lora.PeftAdapter;
import org.llama3j.model.lora.Projection;

/** {@code --lora} on generate/serve and {@code lora merge}, end to end on a random model and adapter. */
class LoraCommandTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path adapter;

    @BeforeAll
    static void modelAndAdapter() throws Exception {
        model = tmp.resolve("tiny.gguf");
        CliTest.Run r = CliTest.run("random-model", "--vocab", CliTest.VOCAB.toString(), "--out", model.toString(),
                "--untied", "--seed", "3", "--type", "F32");
        assertEquals(0, r.code(), r.err());
        try (Llama llama = Llama.load(model)) {
            LoraBase base = LoraBase.of(llama.config());
            LoraConfig config = new LoraConfig(4, 8f, 0f, EnumSet.of(Projection.Q, Projection.V, Projection.DOWN));
            SplittableRandom rnd = new SplittableRandom(1);
            Map<LoraAdapter.Site, LoraMatrices> m = new HashMap<>();
            for (int l = 0; l < base.layers(); l++) {
                for (Projection p : config.orderedTargets()) {
                    float[] a = new float[4 * p.in(base)];
                    float[] b = new float[p.out(base) * 4];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (float) rnd.nextGaussian() * 0.3f;
                    }
                    for (int i = 0; i < b.length; i++) {
                        b[i] = (float) rnd.nextGaussian() * 0.3f;
                    }
                    m.put(new LoraAdapter.Site(l, p), new LoraMatrices(4, p.in(base), p.out(base), a, b));
                }
            }
            adapter = tmp.resolve("adapter");
            PeftAdapter.write(new LoraAdapter(config, base, m), "tiny", adapter);
        }
    }

    static String greedy(Path m, Path lora) throws Exception {
        try (Llama llama = Llama.load(m, lora)) {
            GenerationResult g = llama.generate(llama.tokenizePrompt("Hello"), 8, SamplingParams.GREEDY, List.of(),
                    TokenListener.NONE, () -> false);
            return java.util.Arrays.toString(g.tokens());
        }
    }

    @Test
    void generateWithAdapterAndMergedModelAgree() throws Exception {
        CliTest.Run plain = CliTest.run("generate", "-m", model.toString(), "-p", "Hello", "-n", "8", "--temperature", "0");
        CliTest.Run adapted = CliTest.run("generate", "-m", model.toString(), "--lora", adapter.toString(), "-p", "Hello",
                "-n", "8", "--temperature", "0");
        assertEquals(0, adapted.code(), adapted.err());
        assertNotEquals(plain.out(), adapted.out(), "the adapter changes the greedy continuation");

        Path merged = tmp.resolve("merged.gguf");
        CliTest.Run r = CliTest.run("lora", "merge", "--model", model.toString(), "--lora", adapter.toString(),
                "--out", merged.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("merged 6 LoRA matrices"), r.err());
        CliTest.Run fromMerged = CliTest.run("generate", "-m", merged.toString(), "-p", "Hello", "-n", "8", "--temperature", "0");
        assertEquals(adapted.out(), fromMerged.out());
        assertEquals(greedy(model, adapter), greedy(merged, null));

        Path hf = tmp.resolve("merged-hf");
        r = CliTest.run("lora", "merge", "--model", model.toString(), "--lora", adapter.toString(), "--out", hf.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(hf.resolve("model.safetensors")) && Files.isRegularFile(hf.resolve("tokenizer.json")));
        assertEquals(greedy(model, adapter), greedy(hf, null));
    }

    @Test
    void badAdaptersAreOneLineUserErrors() throws Exception {
        CliTest.Run r = CliTest.run("generate", "-m", model.toString(), "--lora", tmp.resolve("nope").toString(), "-p", "x");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope: no such file"), r.err());

        Path wrong = tmp.resolve("wrong");
        Files.createDirectories(wrong);
        Files.copy(adapter.resolve(PeftAdapter.WEIGHTS_FILE), wrong.resolve(PeftAdapter.WEIGHTS_FILE));
        Files.writeString(wrong.resolve("adapter_config.json"), Files.readString(adapter.resolve("adapter_config.json"))
                .replace("\"r\" : 4", "\"r\" : 8"));
        r = CliTest.run("lora", "merge", "-m", model.toString(), "--lora", wrong.toString(), "-o", tmp.resolve("x.gguf").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("q_proj.lora_A.weight' has shape [4, 64] but r = 8 on this base model needs [8, 64]"),
                r.err());
        assertTrue(!Files.exists(tmp.resolve("x.gguf")));

        StringWriter err = new StringWriter();
        assertEquals(2, ServeCommandTest.run(err, "serve", "-m", model.toString(), "--lora", tmp.resolve("nope").toString(),
                "--port", "0"));
        assertTrue(err.toString().contains("nope: no such file"), err.toString());
    }
}
