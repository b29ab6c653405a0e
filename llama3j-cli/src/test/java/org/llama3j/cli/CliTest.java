package org.llama3j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end wiring of each command, and the one-line errors with exit code 2 for bad input. */
class CliTest {
    static final Path RESOURCES = Path.of("../llama3j-core/src/test/resources/llama3");
    static final Path VOCAB = RESOURCES.resolve("llama-cpp/ggml-vocab-llama-bpe.gguf");
    static final Path TOKENIZER = RESOURCES.resolve("tokenizer.model");

    @TempDir
    static Path tmp;
    static Path model;

    record Run(int code, String out, String err) {
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cli = Main.commandLine();
            cli.setOut(new java.io.PrintWriter(System.out, true));
            cli.setErr(new java.io.PrintWriter(System.err, true));
            int code = cli.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    static void makeModel() {
        model = tmp.resolve("tiny.gguf");
        Run r = run("random-model", "--vocab", VOCAB.toString(), "--out", model.toString(), "--untied", "--seed", "3");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void tokenizeWithMetaTokenizerFile() {
        // ids from tiktoken with Meta's tokenizer.model: "Hello world" -> [9906, 1917]
        Run r = run("tokenize", "--tokenizer", TOKENIZER.toString(), "--text", "Hello world", "--bos");
        assertEquals(0, r.code(), r.err());
        assertEquals("[128000,9906,1917]", r.out().strip());
    }

    @Test
    void tokenizeSpecialTokensOnlyWhenAsked() {
        Run plain = run("tokenize", "--model", model.toString(), "--text", "<|eot_id|>");
        Run special = run("tokenize", "--model", model.toString(), "--text", "<|eot_id|>", "--parse-special");
        assertEquals("[128009]", special.out().strip());
        assertTrue(plain.out().strip().split(",").length > 1, plain.out());
    }

    @Test
    void generateJsonIsDeterministicForASeed() throws Exception {
        Run a = run("generate", "--model", model.toString(), "--prompt", "Hello", "-n", "8", "--seed", "7", "--format", "json");
        Run b = run("generate", "--model", model.toString(), "--prompt", "Hello", "-n", "8", "--seed", "7", "--format", "json");
        assertEquals(0, a.code(), a.err());
        JsonNode ja = new ObjectMapper().readTree(a.out());
        JsonNode jb = new ObjectMapper().readTree(b.out());
        assertEquals("[128000,9906]", ja.get("prompt_tokens").toString());
        assertEquals(8, ja.get("tokens").size());
        assertEquals(ja.get("tokens"), jb.get("tokens"));
        assertEquals(ja.get("text"), jb.get("text"));
    }

    @Test
    void infoDescribesTheModel() {
        Run r = run("info", "--model", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 layers, dim 64, 4 heads, 2 kv heads"), r.out());
        assertTrue(r.out().contains("128256 tokens"), r.out());
    }

    @Test
    void quantizedModelLoadsAndGenerates() {
        Path q = tmp.resolve("tiny-q8.gguf");
        assertEquals(0, run("quantize", "--model", model.toString(), "--out", q.toString(), "--type", "Q8_0").code());
        Run r = run("generate", "--model", q.toString(), "--prompt", "Hi", "-n", "4", "--temperature", "0", "--format", "json");
        assertEquals(0, r.code(), r.err());
        Run info = run("info", "--model", q.toString());
        assertTrue(info.out().contains("Q8_0"), info.out());
    }

    @Test
    void truncatedModelIsOneClearLineAndExitCode2() throws Exception {
        byte[] bytes = Files.readAllBytes(model);
        Path bad = tmp.resolve("truncated.gguf");
        Files.write(bad, Arrays.copyOf(bytes, bytes.length / 2));
        Run r = run("generate", "--model", bad.toString(), "--prompt", "x");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("llama3j: error: ") && r.err().contains("truncated.gguf"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void wrongMagicAndMissingFile() throws Exception {
        Path bad = tmp.resolve("notgguf.bin");
        Files.writeString(bad, "this is not a model file at all, just text");
        Run r = run("info", "--model", bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("notgguf.bin"), r.err());
        Run missing = run("info", "--model", tmp.resolve("nope.gguf").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.gguf"), missing.err());
    }

    @Test
    void vocabOnlyFileHasNoWeights() {
        Run r = run("generate", "--model", VOCAB.toString(), "--prompt", "x");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("ggml-vocab-llama-bpe.gguf"), r.err());
    }

    @Test
    void invalidUtf8InputFileIsRejected() throws Exception {
        Path bad = tmp.resolve("bad.txt");
        Files.write(bad, new byte[] {'o', 'k', ' ', (byte) 0xC3, (byte) 0x28});
        Run r = run("tokenize", "--tokenizer", TOKENIZER.toString(), "--file", bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not valid UTF-8") && r.err().contains("offset 3"), r.err());
    }

    @Test
    void badArgumentsExit2() {
        assertEquals(2, run("generate", "--model", model.toString()).code()); // missing --prompt
        assertEquals(2, run("generate", "--model", model.toString(), "--prompt", "x", "--temperature", "-1").code());
        assertEquals(2, run("quantize", "--model", model.toString(), "--out", tmp.resolve("x.gguf").toString(), "--type", "Q7").code());
    }

    @Test
    void perplexityPrintsLastLine() throws Exception {
        Path text = tmp.resolve("text.txt");
        Files.writeString(text, Files.readString(RESOURCES.resolve("LICENSE")).substring(0, 3000));
        Run r = run("perplexity", "--model", model.toString(), "--file", text.toString(), "--ctx", "64");
        assertEquals(0, r.code(), r.err());
        String last = r.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        assertTrue(last.matches("perplexity: [0-9.eE+]+"), last);
    }
}
