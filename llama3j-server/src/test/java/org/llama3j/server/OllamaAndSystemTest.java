package org.llama3j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.llama3j.Llama;
import org.llama3j.chat.ChatFormat;
import org.llama3j.chat.ChatTemplate;
import org.llama3j.chat.Message;
import org.llama3j.generate.GenerationResult;
import org.llama3j.generate.SamplingParams;
import org.llama3j.generate.TokenListener;

/** Ollama's /api endpoints, /health (503 while loading), /metrics, /tokenize and /detokenize. */
class OllamaAndSystemTest {
    static LlamaServer server;
    static Http http;
    static Llama reference;

    @BeforeAll
    static void start() throws Exception {
        server = TestModels.serve(ServerConfig.of(TestModels.tiny(), 0, 2, 512));
        http = new Http(server.uri());
        reference = TestModels.shared();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ObjectNode greedyOptions(ObjectNode req, int n) {
        req.putObject("options").put("temperature", 0).put("num_predict", n).put("repeat_penalty", 1.0);
        return req;
    }

    @Test
    void chatStreamsNdjsonEndingWithDoneAndCounts() {
        ObjectNode req = greedyOptions(Http.chat("tiny-random", "hello ollama"), 10);
        List<JsonNode> lines = http.ndjson("/api/chat", req);
        StringBuilder text = new StringBuilder();
        for (JsonNode l : lines.subList(0, lines.size() - 1)) {
            assertFalse(l.get("done").asBoolean());
            assertEquals("assistant", l.get("message").get("role").asText());
            text.append(l.get("message").get("content").asText());
        }
        JsonNode last = lines.getLast();
        assertTrue(last.get("done").asBoolean());
        int[] prompt = new ChatFormat(reference.tokenizer(), new ChatTemplate.Llama3())
                .encodeDialogPrompt(List.of(Message.user("hello ollama")));
        GenerationResult ref = reference.generate(prompt, 10, SamplingParams.GREEDY, List.of(), TokenListener.NONE,
                () -> false);
        assertEquals(ref.text(), text.toString());
        assertEquals(ref.tokens().length, last.get("eval_count").asInt());
        assertTrue(last.get("total_duration").asLong() > 0);
        assertTrue(last.get("eval_duration").asLong() > 0);
        assertTrue(last.has("prompt_eval_count") && last.has("prompt_eval_duration") && last.has("load_duration"));

        req.put("stream", false);
        JsonNode whole = http.post("/api/chat", req).json();
        assertTrue(whole.get("done").asBoolean());
        assertEquals(ref.text(), whole.get("message").get("content").asText());
        // the same prompt again: the slot's cache serves all of it but the last token
        assertEquals(1, whole.get("prompt_eval_count").asInt(), whole.toString());
    }

    @Test
    void generateWithRawPromptMatchesPlainGeneration() {
        ObjectNode req = Http.obj();
        req.put("model", "tiny-random");
        req.put("prompt", "The sky is");
        req.put("raw", true);
        greedyOptions(req, 8);
        List<JsonNode> lines = http.ndjson("/api/generate", req);
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l.get("response").asText()));
        GenerationResult ref = reference.generate(reference.tokenizePrompt("The sky is"), 8, SamplingParams.GREEDY,
                List.of(), TokenListener.NONE, () -> false);
        assertEquals(ref.text(), text.toString());
        assertTrue(lines.getLast().get("done").asBoolean());
        assertEquals(reference.tokenizePrompt("The sky is").length, lines.getLast().get("prompt_eval_count").asInt()
                + 0, lines.getLast().toString());
    }

    @Test
    void tagsAndShowDescribeTheModel() {
        JsonNode tags = http.get("/api/tags").json();
        assertEquals("tiny-random:latest", tags.get("models").get(0).get("name").asText());
        assertEquals("gguf", tags.get("models").get(0).get("details").get("format").asText());
        JsonNode show = http.post("/api/show", "{\"model\":\"tiny-random:latest\"}").json();
        assertEquals(64, show.get("model_info").get("llama.embedding_length").asInt());
        assertEquals(2, show.get("model_info").get("llama.block_count").asInt());
        assertEquals("F32", show.get("details").get("quantization_level").asText());
    }

    @Test
    void tokenizeAndDetokenizeRoundTrip() {
        JsonNode t = http.post("/tokenize", "{\"content\":\"Hello world\"}").json();
        int[] ids = new int[t.get("tokens").size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = t.get("tokens").get(i).asInt();
        }
        // tiktoken cl100k/Llama 3: "Hello" = 9906, " world" = 1917
        assertArrayEquals(new int[] {9906, 1917}, ids);
        JsonNode withBos = http.post("/tokenize", "{\"content\":\"Hello world\",\"add_special\":true}").json();
        assertEquals(128000, withBos.get("tokens").get(0).asInt());
        JsonNode d = http.post("/detokenize", "{\"tokens\":[9906,1917]}").json();
        assertEquals("Hello world", d.get("content").asText());
        Http.Reply bad = http.post("/detokenize", "{\"tokens\":[9906,99999999]}");
        assertEquals(400, bad.status());
        assertEquals("tokens", bad.json().get("error").get("param").asText());
    }

    @Test
    void chatPageIsServedAtTheRoot() {
        Http.Reply r = http.get("/");
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("text/html"), r.contentType());
        assertTrue(r.body().contains("v1/chat/completions") && r.body().contains("stream: true"), "page talks to the API");
        assertTrue(r.body().contains("id=\"stop\"") && r.body().contains("controller.abort()"), "page has a stop button");
    }

    @Test
    void metricsArePrometheusText() {
        http.post("/v1/chat/completions", "{\"model\":\"tiny-random\",\"messages\":[{\"role\":\"user\",\"content\":\"m\"}],"
                + "\"max_tokens\":2}");
        Http.Reply r = http.get("/metrics");
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
        String m = r.body();
        for (String name : List.of("llama3j_http_requests_total{route=\"/v1/chat/completions\",status=\"200\"}",
                "llama3j_generated_tokens_total", "llama3j_queue_depth", "llama3j_batch_size_max",
                "llama3j_time_to_first_token_seconds_bucket{le=\"+Inf\"}", "llama3j_http_request_duration_seconds_count",
                "llama3j_prompt_cached_tokens_total", "llama3j_decode_step_seconds_count")) {
            assertTrue(m.contains(name), name + " missing in\n" + m);
        }
        for (String line : m.split("\n")) {
            assertTrue(line.startsWith("#") || line.matches("[a-z0-9_]+(\\{[^}]*\\})? [0-9.E+-]+"), "bad line: " + line);
        }
    }

    @Test
    void healthIs503WhileTheModelLoadsThen200() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (LlamaServer s = LlamaServer.start(ServerConfig.of(TestModels.tiny(), 0, 1, 64), () -> {
            release.await();
            return TestModels.shared();
        })) {
            Http h = new Http(s.uri());
            Http.Reply loading = h.get("/health");
            assertEquals(503, loading.status());
            assertEquals("loading", loading.json().get("status").asText());
            Http.Reply chat = h.post("/v1/chat/completions", Http.chat("tiny-random", "x"));
            assertEquals(503, chat.status());
            assertEquals("model_loading", chat.json().get("error").get("code").asText());
            release.countDown();
            s.awaitLoaded();
            assertEquals(200, h.get("/health").status());
            assertEquals("ok", h.get("/health").json().get("status").asText());
        }
    }
}
