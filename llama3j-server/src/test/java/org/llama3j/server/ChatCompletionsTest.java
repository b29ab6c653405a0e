package org.llama3j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

/** /v1/chat/completions and /v1/completions over real HTTP against a tiny random model. */
class ChatCompletionsTest {
    static LlamaServer server;
    static Http http;
    static Llama reference;
    static final String MODEL = "tiny-random";

    @BeforeAll
    static void start() throws Exception {
        server = TestModels.serve(ServerConfig.of(TestModels.tiny(), 0, 4, 512));
        http = new Http(server.uri());
        reference = TestModels.shared();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ObjectNode greedy(String user, int maxTokens) {
        ObjectNode req = Http.chat(MODEL, user);
        req.put("temperature", 0);
        req.put("max_tokens", maxTokens);
        return req;
    }

    /** What Llama.generate (the unbatched Generator) produces greedily for the chat prompt. */
    static GenerationResult referenceGreedy(String user, int maxTokens) {
        int[] prompt = new ChatFormat(reference.tokenizer(), new ChatTemplate.Llama3())
                .encodeDialogPrompt(List.of(Message.user(user)));
        return reference.generate(prompt, maxTokens, SamplingParams.GREEDY, List.of(), TokenListener.NONE, () -> false);
    }

    static int promptLength(String user) {
        return new ChatFormat(reference.tokenizer(), new ChatTemplate.Llama3())
                .encodeDialogPrompt(List.of(Message.user(user))).length;
    }

    @Test
    void nonStreamingAnswerHasOpenAiShapeAndExactUsage() {
        Http.Reply r = http.post("/v1/chat/completions", greedy("Hello there", 12));
        assertEquals(200, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/json"));
        JsonNode body = r.json();
        assertEquals("chat.completion", body.get("object").asText());
        assertEquals(MODEL, body.get("model").asText());
        assertTrue(body.get("id").asText().startsWith("chatcmpl-"));
        JsonNode choice = body.get("choices").get(0);
        assertEquals("assistant", choice.get("message").get("role").asText());
        GenerationResult ref = referenceGreedy("Hello there", 12);
        assertEquals(ref.text(), choice.get("message").get("content").asText());
        String expectedFinish = ref.finishReason() == org.llama3j.generate.FinishReason.LENGTH ? "length" : "stop";
        assertEquals(expectedFinish, choice.get("finish_reason").asText());
        JsonNode usage = body.get("usage");
        assertEquals(promptLength("Hello there"), usage.get("prompt_tokens").asInt());
        assertEquals(ref.tokens().length, usage.get("completion_tokens").asInt());
        assertEquals(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt(),
                usage.get("total_tokens").asInt());
    }

    @Test
    void concurrentGreedyRequestsEqualUnbatchedGeneration() throws Exception {
        List<String> prompts = List.of("one", "the second prompt", "3", "a fourth, longer prompt with more words");
        ExecutorService pool = Executors.newFixedThreadPool(prompts.size());
        try {
            List<Future<Http.Reply>> replies = new ArrayList<>();
            for (String p : prompts) {
                replies.add(pool.submit(() -> http.post("/v1/chat/completions", greedy(p, 24))));
            }
            for (int i = 0; i < prompts.size(); i++) {
                Http.Reply r = replies.get(i).get();
                assertEquals(200, r.status(), r.body());
                GenerationResult ref = referenceGreedy(prompts.get(i), 24);
                JsonNode body = r.json();
                assertEquals(ref.text(), body.get("choices").get(0).get("message").get("content").asText(),
                        "prompt " + prompts.get(i));
                assertEquals(ref.tokens().length, body.get("usage").get("completion_tokens").asInt());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void streamingChunksConcatenateToTheSameAnswerAndEndWithUsageAndDone() {
        ObjectNode req = greedy("Stream me", 16);
        req.put("stream", true);
        req.putObject("stream_options").put("include_usage", true);
        List<JsonNode> events = http.sse("/v1/chat/completions", req);
        StringBuilder text = new StringBuilder();
        String finish = null;
        JsonNode usage = null;
        assertEquals("assistant", events.getFirst().get("choices").get(0).get("delta").get("role").asText());
        for (JsonNode e : events) {
            assertEquals("chat.completion.chunk", e.get("object").asText());
            if (e.get("choices").isEmpty()) {
                usage = e.get("usage");
                continue;
            }
            JsonNode c = e.get("choices").get(0);
            if (c.get("delta").has("content")) {
                text.append(c.get("delta").get("content").asText());
            }
            if (!c.get("finish_reason").isNull()) {
                finish = c.get("finish_reason").asText();
            }
        }
        GenerationResult ref = referenceGreedy("Stream me", 16);
        assertEquals(ref.text(), text.toString());
        assertTrue(finish != null, "a chunk carries finish_reason");
        assertEquals(events.getLast().get("usage"), usage, "the usage chunk comes last");
        assertEquals(ref.tokens().length, usage.get("completion_tokens").asInt());
        assertEquals(promptLength("Stream me"), usage.get("prompt_tokens").asInt());
    }

    @Test
    void nEqualsTwoGivesTwoChoicesAndSumsCompletionTokens() {
        ObjectNode req = Http.chat(MODEL, "pick two");
        req.put("n", 2);
        req.put("max_tokens", 6);
        req.put("seed", 7);
        JsonNode body = http.post("/v1/chat/completions", req).json();
        assertEquals(2, body.get("choices").size());
        assertEquals(0, body.get("choices").get(0).get("index").asInt());
        assertEquals(1, body.get("choices").get(1).get("index").asInt());
        assertEquals(promptLength("pick two"), body.get("usage").get("prompt_tokens").asInt());
        int sum = 0;
        for (JsonNode c : body.get("choices")) {
            assertEquals("length", c.get("finish_reason").asText(), c.toString());
            sum += 6;
        }
        assertEquals(sum, body.get("usage").get("completion_tokens").asInt());
    }

    @Test
    void sameSeedSameTextAndSeedsMatter() {
        Set<String> texts = new HashSet<>();
        for (int seed = 1; seed <= 4; seed++) {
            ObjectNode req = Http.chat(MODEL, "random please");
            req.put("seed", seed);
            req.put("temperature", 1.5);
            req.put("min_p", 0);
            req.put("max_tokens", 8);
            String a = http.post("/v1/chat/completions", req).json().get("choices").get(0).get("message").get("content").asText();
            String b = http.post("/v1/chat/completions", req).json().get("choices").get(0).get("message").get("content").asText();
            assertEquals(a, b, "seed " + seed);
            texts.add(a);
        }
        assertTrue(texts.size() > 1, "four seeds gave one text: " + texts);
    }

    @Test
    void stopStringCutsTheAnswer() {
        String full = http.post("/v1/chat/completions", greedy("stop test", 20)).json()
                .get("choices").get(0).get("message").get("content").asText();
        assertTrue(full.length() > 6, full);
        String stop = full.substring(3, 6);
        int cut = full.indexOf(stop);
        ObjectNode req = greedy("stop test", 20);
        req.putArray("stop").add(stop).add("never-appears-xyz");
        JsonNode c = http.post("/v1/chat/completions", req).json().get("choices").get(0);
        assertEquals(full.substring(0, cut), c.get("message").get("content").asText());
        assertEquals("stop", c.get("finish_reason").asText());
        req.put("stop", stop); // a single string works too
        assertEquals(full.substring(0, cut), http.post("/v1/chat/completions", req).json()
                .get("choices").get(0).get("message").get("content").asText());
    }

    @Test
    void logprobsAreNormalizedAndGreedyPicksTheTopOne() {
        ObjectNode req = greedy("logprobs", 5);
        req.put("logprobs", true);
        req.put("top_logprobs", 3);
        JsonNode content = http.post("/v1/chat/completions", req).json().get("choices").get(0).get("logprobs")
                .get("content");
        assertEquals(5, content.size());
        for (JsonNode e : content) {
            double lp = e.get("logprob").asDouble();
            assertTrue(lp <= 0, e.toString());
            JsonNode top = e.get("top_logprobs");
            assertEquals(3, top.size());
            assertEquals(top.get(0).get("token").asText(), e.get("token").asText());
            assertEquals(top.get(0).get("logprob").asDouble(), lp, 1e-9);
            assertTrue(top.get(0).get("logprob").asDouble() >= top.get(1).get("logprob").asDouble());
            assertFalse(e.get("bytes").isEmpty());
        }
    }

    @Test
    void legacyCompletionsContinueThePlainPrompt() {
        ObjectNode req = Http.obj();
        req.put("model", MODEL);
        req.put("prompt", "Once upon a time");
        req.put("temperature", 0);
        req.put("max_tokens", 10);
        req.put("logprobs", 2);
        JsonNode body = http.post("/v1/completions", req).json();
        GenerationResult ref = reference.generate(reference.tokenizePrompt("Once upon a time"), 10,
                SamplingParams.GREEDY, List.of(), TokenListener.NONE, () -> false);
        assertEquals("text_completion", body.get("object").asText());
        assertEquals(ref.text(), body.get("choices").get(0).get("text").asText());
        assertEquals(ref.tokens().length, body.get("choices").get(0).get("logprobs").get("tokens").size());
        assertEquals(reference.tokenizePrompt("Once upon a time").length, body.get("usage").get("prompt_tokens").asInt());

        req.put("stream", true);
        StringBuilder streamed = new StringBuilder();
        for (JsonNode e : http.sse("/v1/completions", req)) {
            streamed.append(e.get("choices").get(0).get("text").asText());
        }
        assertEquals(ref.text(), streamed.toString());
    }

    @Test
    void jsonObjectModeConstrainsTheOutputToJson() throws Exception {
        // unconstrained, this random model never starts with '{'
        String free = http.post("/v1/chat/completions", greedy("give me json", 40)).json()
                .get("choices").get(0).get("message").get("content").asText();
        assertFalse(free.stripLeading().startsWith("{"), free);
        for (int seed = 1; seed <= 3; seed++) {
            ObjectNode req = Http.chat(MODEL, "give me json");
            req.put("max_tokens", 60);
            req.put("seed", seed);
            req.putObject("response_format").put("type", "json_object");
            JsonNode c = http.post("/v1/chat/completions", req).json().get("choices").get(0);
            String text = c.get("message").get("content").asText();
            var prefix = new org.llama3j.server.constrain.JsonPrefix();
            assertTrue(prefix.accept(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "not a JSON prefix: " + text);
            if (c.get("finish_reason").asText().equals("stop")) {
                assertTrue(prefix.complete(), text);
                assertTrue(Http.JSON.readTree(text).isObject(), text);
            } else {
                assertEquals("length", c.get("finish_reason").asText());
            }
        }
        // Ollama's format: "json" uses the same constraint
        ObjectNode o = Http.chat(MODEL, "give me json");
        o.put("stream", false);
        o.put("format", "json");
        o.putObject("options").put("num_predict", 30).put("seed", 5);
        String text = http.post("/api/chat", o).json().get("message").get("content").asText();
        assertTrue(new org.llama3j.server.constrain.JsonPrefix().accept(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), text);
    }

    @Test
    void jsonSchemaModeForcesTheSchemasStructure() throws Exception {
        ObjectNode req = Http.chat(MODEL, "answer yes");
        req.put("max_tokens", 200);
        req.put("seed", 11);
        ObjectNode schema = req.putObject("response_format").put("type", "json_schema").putObject("json_schema")
                .put("name", "answer").putObject("schema");
        schema.put("type", "object").put("additionalProperties", false).putArray("required").add("ok").add("flag");
        ObjectNode props = schema.putObject("properties");
        props.putObject("ok").put("const", "yes");
        props.putObject("flag").put("type", "boolean");
        JsonNode c = http.post("/v1/chat/completions", req).json().get("choices").get(0);
        String text = c.get("message").get("content").asText();
        assertEquals("stop", c.get("finish_reason").asText(), text);
        JsonNode parsed = Http.JSON.readTree(text);
        assertEquals(2, parsed.size(), text);
        assertEquals("yes", parsed.get("ok").asText());
        assertTrue(parsed.get("flag").isBoolean(), text);
        // Ollama structured outputs: the same schema as "format"
        ObjectNode o = Http.chat(MODEL, "answer yes");
        o.put("stream", false);
        o.set("format", schema);
        o.putObject("options").put("num_predict", 200).put("seed", 4);
        JsonNode ollama = Http.JSON.readTree(http.post("/api/chat", o).json().get("message").get("content").asText());
        assertEquals("yes", ollama.get("ok").asText());
        assertTrue(ollama.get("flag").isBoolean());
    }

    @Test
    void modelsListsTheServedModel() {
        JsonNode body = http.get("/v1/models").json();
        assertEquals("list", body.get("object").asText());
        assertEquals(MODEL, body.get("data").get(0).get("id").asText());
    }
}
