package org.llama3j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.llama3j.safety.codeshield.CodeShield;
import org.llama3j.safety.guard.Conversation;
import org.llama3j.safety.guard.GuardClassifier;
import org.llama3j.safety.guard.GuardMessage;
import org.llama3j.safety.guard.GuardRole;
import org.llama3j.safety.guard.GuardScore;
import org.llama3j.safety.guard.GuardVerdict;
import org.llama3j.safety.policy.SafetyPolicy;

/**
 * {@code serve --guard/--codeshield}: every generation endpoint refuses a blocked prompt with 400
 * {@code content_filter} before queueing it, withholds a blocked answer (empty, finish reason
 * {@code content_filter}, also when streamed), and passes an allowed answer unchanged.
 */
class SafetyPolicyServerTest {
    /** Marks a prompt unsafe (S1) when it says "forbidden"; marks the answer unsafe (S2) when the prompt says "withhold". */
    static final class KeywordGuard implements GuardClassifier {
        final List<Conversation> seen = new CopyOnWriteArrayList<>();

        @Override
        public GuardScore score(Conversation c) {
            return new GuardScore(classify(c).safe() ? 0.0 : 1.0);
        }

        @Override
        public GuardVerdict classify(Conversation c) {
            seen.add(c);
            GuardMessage last = c.messages().getLast();
            String firstUser = c.messages().getFirst().content();
            if (last.role() == GuardRole.USER && last.content().contains("forbidden")) {
                return new GuardVerdict(false, List.of("S1"));
            }
            if (last.role() == GuardRole.AGENT && firstUser.contains("withhold")) {
                return new GuardVerdict(false, List.of("S2"));
            }
            return GuardVerdict.ofSafe();
        }
    }

    static final KeywordGuard GUARD = new KeywordGuard();
    static LlamaServer server;
    static LlamaServer plain;
    static Http http;
    static Http plainHttp;

    @BeforeAll
    static void start() throws Exception {
        server = TestModels.serve(ServerConfig.of(TestModels.tiny(), 0, 2, 512)
                .withSafety(SafetyPolicy.of(GUARD, CodeShield.defaults())));
        plain = TestModels.serve(ServerConfig.of(TestModels.tiny(), 0, 2, 512));
        http = new Http(server.uri());
        plainHttp = new Http(plain.uri());
    }

    @AfterAll
    static void stop() {
        server.close();
        plain.close();
    }

    static ObjectNode chat(String user, boolean stream) {
        ObjectNode req = Http.chat("tiny-random", user);
        req.put("temperature", 0);
        req.put("max_tokens", 10);
        req.put("stream", stream);
        return req;
    }

    static ObjectNode ollama(String user, boolean stream) {
        ObjectNode req = Http.JSON.createObjectNode();
        req.put("model", "tiny-random");
        req.putArray("messages").addObject().put("role", "user").put("content", user);
        req.put("stream", stream);
        req.putObject("options").put("temperature", 0).put("num_predict", 10);
        return req;
    }

    static void assertContentFilter(Http.Reply r, String param) {
        assertEquals(400, r.status(), r.body());
        JsonNode err = r.json().get("error");
        assertEquals("content_filter", err.get("code").asText(), r.body());
        assertEquals(param, err.get("param").asText());
        assertTrue(err.get("message").asText().contains("S1"), r.body());
    }

    /** Ollama's clients read {@code {"error": "message"}}. */
    static void assertOllamaContentFilter(Http.Reply r) {
        assertEquals(400, r.status(), r.body());
        String message = r.json().get("error").asText();
        assertTrue(message.contains("safety policy") && message.contains("S1"), r.body());
    }

    @Test
    void blockedPromptsAreRefusedOnEveryEndpoint() {
        String before = http.get("/metrics").body();
        assertContentFilter(http.post("/v1/chat/completions", chat("tell me the forbidden thing", false)), "messages");
        ObjectNode completion = Http.JSON.createObjectNode().put("model", "tiny-random")
                .put("prompt", "a forbidden prompt").put("max_tokens", 5);
        assertContentFilter(http.post("/v1/completions", completion), "prompt");
        assertOllamaContentFilter(http.post("/api/chat", ollama("forbidden words", false)));
        ObjectNode gen = Http.JSON.createObjectNode().put("model", "tiny-random").put("prompt", "forbidden")
                .put("stream", false);
        assertOllamaContentFilter(http.post("/api/generate", gen));
        String after = http.get("/metrics").body();
        assertEquals(metric(before, "llama3j_safety_blocked_prompts_total") + 4,
                metric(after, "llama3j_safety_blocked_prompts_total"));
        // nothing was queued for them
        assertEquals(metric(before, "llama3j_generation_requests_total"),
                metric(after, "llama3j_generation_requests_total"));
    }

    @Test
    void blockedAnswersAreWithheldWholeAlsoWhenStreamed() {
        JsonNode body = http.post("/v1/chat/completions", chat("please withhold this", false)).json();
        JsonNode choice = body.get("choices").get(0);
        assertEquals("content_filter", choice.get("finish_reason").asText());
        assertEquals("", choice.get("message").get("content").asText());
        assertTrue(choice.get("message").get("refusal").asText().contains("S2"), choice.toString());
        assertTrue(body.get("usage").get("completion_tokens").asInt() > 0, "the tokens were generated and counted");

        List<JsonNode> events = http.sse("/v1/chat/completions", chat("please withhold this", true));
        StringBuilder streamed = new StringBuilder();
        String finish = null;
        for (JsonNode e : events) {
            JsonNode c = e.get("choices").get(0);
            streamed.append(c.get("delta").path("content").asText(""));
            if (!c.get("finish_reason").isNull()) {
                finish = c.get("finish_reason").asText();
            }
        }
        assertEquals("", streamed.toString(), "no unchecked text may reach the client");
        assertTrue(events.stream().anyMatch(e -> e.get("choices").get(0).get("delta").path("refusal").asText("")
                .contains("S2")), "the stream carries the refusal");
        assertEquals("content_filter", finish);

        List<JsonNode> lines = http.ndjson("/api/chat", ollama("withhold it", true));
        StringBuilder ollamaText = new StringBuilder();
        lines.forEach(l -> ollamaText.append(l.get("message").get("content").asText()));
        assertEquals("", ollamaText.toString());
        assertEquals("content_filter", lines.getLast().get("done_reason").asText());
        assertTrue(lines.getLast().get("refusal").asText().contains("S2"));
    }

    @Test
    void allowedAnswersPassUnchangedAndTheGuardSawPromptAndAnswer() {
        GUARD.seen.clear();
        JsonNode guarded = http.post("/v1/chat/completions", chat("Hello there", false)).json();
        JsonNode unguarded = plainHttp.post("/v1/chat/completions", chat("Hello there", false)).json();
        String text = unguarded.get("choices").get(0).get("message").get("content").asText();
        assertFalse(text.isEmpty());
        assertEquals(text, guarded.get("choices").get(0).get("message").get("content").asText());
        assertEquals(unguarded.get("choices").get(0).get("finish_reason"),
                guarded.get("choices").get(0).get("finish_reason"));
        // one input check (the user turn) and one output check (user turn + the answer as the agent turn)
        assertEquals(2, GUARD.seen.size());
        assertEquals(List.of(GuardRole.USER), GUARD.seen.get(0).messages().stream().map(GuardMessage::role).toList());
        List<GuardMessage> out = GUARD.seen.get(1).messages();
        assertEquals(GuardRole.AGENT, out.getLast().role());
        assertEquals(text, out.getLast().content());

        StringBuilder streamed = new StringBuilder();
        for (JsonNode e : http.sse("/v1/chat/completions", chat("Hello there", true))) {
            streamed.append(e.get("choices").get(0).get("delta").path("content").asText(""));
        }
        assertEquals(text, streamed.toString());
    }

    static long metric(String page, String name) {
        return page.lines().filter(l -> l.startsWith(name + " ")).mapToLong(l -> Long.parseLong(l.split(" ")[1]))
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name));
    }
}
