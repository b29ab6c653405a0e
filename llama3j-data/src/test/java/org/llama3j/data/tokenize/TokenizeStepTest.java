package org.llama3j.data.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.PipelineRunner;
import org.llama3j.data.config.PipelineConfigException;
import org.llama3j.data.exec.PipelineResult;
import org.llama3j.train.data.ShardReader;
import org.llama3j.train.data.ShardSet;

class TokenizeStepTest {

    /**
     * A tiktoken file with just the 256 single bytes: every text tokenizes to its UTF-8 bytes, so the expected
     * ids are known by hand; the Llama 3 specials follow the ranks (begin_of_text = 256, end_of_text = 257).
     */
    static Path byteTokenizer(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            lines.add(Base64.getEncoder().encodeToString(new byte[] {(byte) b}) + " " + b);
        }
        Path p = dir.resolve("bytes.model");
        Files.write(p, lines);
        return p;
    }

    static int[] expected(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[b.length + 2];
        out[0] = 256;
        for (int i = 0; i < b.length; i++) {
            out[i + 1] = b[i] & 0xff;
        }
        out[out.length - 1] = 257;
        return out;
    }

    static int[] document(ShardReader r, long d) {
        int[] out = new int[(int) r.documentLength(d)];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.token(r.offset(d) + i);
        }
        return out;
    }

    @Test
    void pipelineWritesTrainerShardsWithFramedByteTokens(@TempDir Path dir) throws IOException {
        byteTokenizer(dir);
        Files.createDirectories(dir.resolve("in"));
        Files.writeString(dir.resolve("in/a.jsonl"), """
                {"id":"1","text":"héllo"}
                {"id":"2","text":"dup"}
                {"id":"3","text":"dup"}
                {"id":"4","text":"zz top"}
                {"id":"5","text":"abc"}
                """);
        Files.writeString(dir.resolve("p.yaml"), """
                input: {paths: [in/*.jsonl]}
                output: out
                threads: 2
                steps:
                  - type: exact_dedup
                  - type: tokenize
                    tokenizer: bytes.model
                    valFraction: 0.5
                """);
        PipelineResult r = PipelineRunner.run(dir.resolve("p.yaml"), null);
        assertEquals(4, r.stats("tokenize").kept());
        Path tokens = dir.resolve("out/tokens");
        List<Path> train = ShardSet.list(tokens, "train");
        List<Path> val = ShardSet.list(tokens, "val");
        assertEquals(1, train.size());
        assertEquals(1, val.size());
        // documents 1 and 3 (0-based) of the 4 survivors go to validation: floor((i+1)/2) > floor(i/2)
        try (ShardReader t = ShardReader.open(train.getFirst()); ShardReader v = ShardReader.open(val.getFirst())) {
            assertEquals(512, t.vocabSize());
            assertEquals(2, t.documentCount());
            assertArrayEquals(expected("héllo"), document(t, 0));
            assertArrayEquals(expected("zz top"), document(t, 1));
            assertEquals(2, v.documentCount());
            assertArrayEquals(expected("dup"), document(v, 0));
            assertArrayEquals(expected("abc"), document(v, 1));
        }
        String summary = Files.readString(tokens.resolve("tokens.json"));
        assertTrue(summary.contains("\"trainTokens\" : 16"), summary); // (6 + 2) + (6 + 2)
        assertTrue(Files.exists(tokens.resolve("bytes.model")));
    }

    @Test
    void tokenizeMustBeLastAndNeedsATokenizer(@TempDir Path dir) throws IOException {
        byteTokenizer(dir);
        Files.createDirectories(dir.resolve("in"));
        Files.writeString(dir.resolve("in/a.jsonl"), "{\"text\":\"x\"}\n");
        Files.writeString(dir.resolve("p.yaml"), """
                input: {paths: [in/*.jsonl]}
                output: out
                steps:
                  - type: tokenize
                    tokenizer: bytes.model
                  - type: exact_dedup
                """);
        PipelineConfigException e = assertThrows(PipelineConfigException.class, () -> PipelineRunner.run(dir.resolve("p.yaml"), null));
        assertTrue(e.getMessage().contains("last step"), e.getMessage());
        Files.writeString(dir.resolve("q.yaml"), """
                input: {paths: [in/*.jsonl]}
                output: out
                steps:
                  - type: tokenize
                    tokenizer: missing.model
                """);
        Exception m = assertThrows(RuntimeException.class, () -> PipelineRunner.run(dir.resolve("q.yaml"), null));
        assertTrue(m.getMessage().contains("missing.model"), m.getMessage());
    }

    /** A model's GGUF tokenizer (llama.cpp's Llama 3 vocabulary file): Llama 3 ids, framed by its BOS/EOS. */
    @Test
    void ggufModelTokenizerGivesLlama3Ids(@TempDir Path dir) throws IOException {
        Path vocab = Path.of("../llama3j-core/src/test/resources/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf");
        Files.createDirectories(dir.resolve("in"));
        Files.writeString(dir.resolve("in/a.jsonl"), "{\"id\":\"1\",\"text\":\"hello world\"}\n");
        Files.writeString(dir.resolve("p.yaml"), """
                input: {paths: [in/*.jsonl]}
                output: out
                steps:
                  - type: tokenize
                    tokenizer: "%s"
                """.formatted(vocab.toAbsolutePath()));
        PipelineRunner.run(dir.resolve("p.yaml"), null);
        try (ShardReader t = ShardReader.open(ShardSet.list(dir.resolve("out/tokens"), "train").getFirst())) {
            // tiktoken with Meta's tokenizer.model: "hello world" -> [15339, 1917]; 128000/128001 frame documents
            assertArrayEquals(new int[] {128000, 15339, 1917, 128001}, document(t, 0));
        }
        String summary = Files.readString(dir.resolve("out/tokens/tokens.json"));
        assertTrue(summary.contains(vocab.toAbsolutePath().normalize().toString()), summary);
        assertTrue(Files.notExists(dir.resolve("out/tokens").resolve(vocab.getFileName())), "a model file is not copied");
    }
}
