package org.llama3j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad input gets the right 4xx with an OpenAI error object, and leaves no slot busy. */
class BadRequestsTest {
    static LlamaServer server;
    static LlamaServer keyed;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = TestModels.serve(ServerConfig.of(TestModels.tiny(), 0, 2, 256));
        keyed = TestModels.serve(ServerConfig.of(TestModels.tiny(), 0, 1, 128).withApiKey("s3cret"));
        http = new Http(server.uri());
    }

    @AfterAll
    static void stop() {
        server.close();
        keyed.close();
    }

    static final String CHAT = "/v1/chat/completions";

    static String chat(String extra) {
        return "{\"model\":\"tiny-random\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}";
    }

    static Stream<Arguments> badChatBodies() {
        return Stream.of(
                Arguments.of("truncated JSON", "{\"model\":", 400, null, "invalid_json"),
                Arguments.of("trailing garbage", chat("") + " x", 400, null, "invalid_json"),
                Arguments.of("array body", "[1,2]", 400, null, "invalid_json"),
                Arguments.of("empty body", "", 400, null, null),
                Arguments.of("no model", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "model", null),
                Arguments.of("unknown model", chat("").replace("tiny-random", "gpt-4o"), 404, "model", "model_not_found"),
                Arguments.of("messages not an array", "{\"model\":\"tiny-random\",\"messages\":\"hi\"}", 400, "messages", null),
                Arguments.of("empty messages", "{\"model\":\"tiny-random\",\"messages\":[]}", 400, "messages", null),
                Arguments.of("message not an object", "{\"model\":\"tiny-random\",\"messages\":[3]}", 400, "messages[0]", null),
                Arguments.of("no role", "{\"model\":\"tiny-random\",\"messages\":[{\"content\":\"hi\"}]}", 400,
                        "messages[0].role", null),
                Arguments.of("unknown role", "{\"model\":\"tiny-random\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}",
                        400, "messages[0].role", null),
                Arguments.of("content a number", "{\"model\":\"tiny-random\",\"messages\":[{\"role\":\"user\",\"content\":5}]}",
                        400, "messages[0].content", null),
                Arguments.of("temperature a string", chat(",\"temperature\":\"hot\""), 400, "temperature", null),
                Arguments.of("temperature too high", chat(",\"temperature\":5"), 400, "temperature", null),
                Arguments.of("max_tokens negative", chat(",\"max_tokens\":-5"), 400, "max_tokens", null),
                Arguments.of("max_tokens zero", chat(",\"max_tokens\":0"), 400, "max_tokens", null),
                Arguments.of("max_tokens fractional", chat(",\"max_tokens\":1.5"), 400, "max_tokens", null),
                Arguments.of("max_tokens huge", chat(",\"max_tokens\":1000000000000"), 400, "max_tokens", null),
                Arguments.of("max_tokens past context", chat(",\"max_tokens\":100000"), 400, "max_tokens",
                        "context_length_exceeded"),
                Arguments.of("stream not boolean", chat(",\"stream\":\"yes\""), 400, "stream", null),
                Arguments.of("n zero", chat(",\"n\":0"), 400, "n", null),
                Arguments.of("stop wrong type", chat(",\"stop\":[1]"), 400, "stop", null),
                Arguments.of("stop empty string", chat(",\"stop\":\"\""), 400, "stop", null),
                Arguments.of("seed a string", chat(",\"seed\":\"x\""), 400, "seed", null),
                Arguments.of("top_logprobs without logprobs", chat(",\"top_logprobs\":2"), 400, "top_logprobs", null),
                Arguments.of("json_schema without schema", chat(",\"response_format\":{\"type\":\"json_schema\"}"), 400,
                        "response_format.json_schema.schema", null),
                Arguments.of("json_schema with anyOf", chat(",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
                        + "{\"name\":\"x\",\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"anyOf\":[]}}}}}"), 400,
                        "response_format.json_schema.schema", "unsupported_schema"),
                Arguments.of("json_schema root not an object", chat(",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
                        + "{\"name\":\"x\",\"schema\":{\"type\":\"string\"}}}"), 400,
                        "response_format.json_schema.schema", "unsupported_schema"),
                Arguments.of("unknown response_format", chat(",\"response_format\":{\"type\":\"yaml\"}"), 400,
                        "response_format.type", null),
                Arguments.of("bad tool_choice", chat(",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
                        + "\"tool_choice\":\"sometimes\""), 400, "tool_choice", null),
                Arguments.of("deeply nested", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 400, null, "invalid_json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badChatBodies")
    void badChatBodyIsRefusedWithAnErrorObject(String name, String body, int status, String param, String code) {
        Http.Reply r = http.post(CHAT, body);
        assertEquals(status, r.status(), r.body());
        JsonNode err = r.json().get("error");
        assertTrue(err.get("message").asText().length() > 5, r.body());
        assertEquals("invalid_request_error", err.get("type").asText());
        if (param != null) {
            assertEquals(param, err.get("param").asText(), r.body());
        }
        if (code != null) {
            assertEquals(code, err.get("code").asText(), r.body());
        }
    }

    @Test
    void invalidUtf8Is400() {
        byte[] body = chat("").replace("hi", "h\u0000").getBytes(StandardCharsets.UTF_8);
        int at = new String(body, StandardCharsets.UTF_8).indexOf('\u0000');
        body[at] = (byte) 0xC3; // a lead byte followed by '"': malformed
        Http.Reply r = http.postBytes(CHAT, body);
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_encoding", r.json().get("error").get("code").asText());
    }

    @Test
    void bodyOverOneMebibyteIs413() {
        byte[] big = new byte[(1 << 20) + 10];
        Arrays.fill(big, (byte) ' ');
        Http.Reply r = http.postBytes(CHAT, big);
        assertEquals(413, r.status(), r.body());
        assertEquals("request_too_large", r.json().get("error").get("code").asText());
    }

    /** Without a Content-Length the limit is found while reading; the client still gets the 413. */
    @Test
    void chunkedBodyOverOneMebibyteIs413() {
        byte[] big = new byte[(1 << 20) + 10];
        Arrays.fill(big, (byte) ' ');
        Http.Reply r = http.send(HttpRequest.newBuilder(server.uri().resolve(CHAT)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build());
        assertEquals(413, r.status(), r.body());
        assertEquals("request_too_large", r.json().get("error").get("code").asText());
    }

    @Test
    void promptLongerThanTheContextIs400() {
        String longText = "word ".repeat(400);
        Http.Reply r = http.post(CHAT, Http.chat("tiny-random", longText));
        assertEquals(400, r.status(), r.body());
        assertEquals("context_length_exceeded", r.json().get("error").get("code").asText());
        assertTrue(r.json().get("error").get("message").asText().contains("256"), r.body());
    }

    @Test
    void headersOverJettysLimitGetAJsonError() {
        Http.Reply r = http.send(HttpRequest.newBuilder(server.uri().resolve(CHAT)).header("X-Big", "a".repeat(20_000))
                .POST(HttpRequest.BodyPublishers.ofString(chat(""))).build());
        assertEquals(431, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        assertTrue(r.json().get("error").get("message").asText().startsWith("HTTP 431"), r.body());
    }

    @Test
    void unknownPathAndWrongMethod() {
        Http.Reply r = http.get("/v1/nothing");
        assertEquals(404, r.status());
        assertEquals("unknown_url", r.json().get("error").get("code").asText());
        r = http.get(CHAT);
        assertEquals(405, r.status());
        assertEquals("method_not_allowed", r.json().get("error").get("code").asText());
    }

    @Test
    void ollamaRoutesAnswerErrorsInOllamaShape() {
        Http.Reply r = http.post("/api/chat", "{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertEquals(404, r.status());
        assertTrue(r.json().get("error").asText().contains("llama3"), r.body());
        r = http.post("/api/generate", "{\"model\":\"tiny-random\",\"prompt\":\"x\",\"options\":{\"num_predict\":\"many\"}}");
        assertEquals(400, r.status());
        assertTrue(r.json().get("error").asText().contains("options.num_predict"), r.body());
    }

    @Test
    void apiKeyIsRequiredWhenConfigured() {
        Http anonymous = new Http(keyed.uri());
        Http.Reply r = anonymous.post(CHAT, chat(",\"max_tokens\":2"));
        assertEquals(401, r.status());
        assertEquals("invalid_api_key", r.json().get("error").get("code").asText());
        assertEquals(401, new Http(keyed.uri(), "wrong").post(CHAT, chat(",\"max_tokens\":2")).status());
        assertEquals(401, anonymous.get("/metrics").status());
        assertEquals(200, anonymous.get("/health").status(), "health stays open for load balancers");
        Http.Reply ok = new Http(keyed.uri(), "s3cret").post(CHAT, chat(",\"max_tokens\":2"));
        assertEquals(200, ok.status(), ok.body());
    }

    @Test
    void afterAllTheBadRequestsAGoodOneWorksAndNoSlotIsHeld() {
        for (int i = 0; i < 3; i++) {
            http.post(CHAT, chat(",\"max_tokens\":-1"));
            http.post(CHAT, "{");
        }
        Http.Reply r = http.post(CHAT, chat(",\"max_tokens\":3"));
        assertEquals(200, r.status(), r.body());
        String metrics = http.get("/metrics").body();
        assertTrue(metrics.contains("\nllama3j_active_sequences 0\n"), metrics);
        assertTrue(metrics.contains("\nllama3j_queue_depth 0\n"), metrics);
        assertTrue(metrics.contains("\nllama3j_sequences_failed_total 0\n"), metrics);
    }
}
