package org.llama3j.server.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llama3j.Llama;
import org.llama3j.chat.ChatFormat;
import org.llama3j.chat.ChatTemplate;
import org.llama3j.chat.Message;
import org.llama3j.chat.Role;
import org.llama3j.generate.FinishReason;
import org.llama3j.server.LlamaServer;
import org.llama3j.server.TestAccess;
import org.llama3j.server.http.Json;
import org.llama3j.server.tools.ToolCalls;
import org.llama3j.server.scheduler.SequenceResult;
import org.llama3j.server.scheduler.TokenOutput;

/** Tool definitions, earlier tool calls and tool results in the prompt; tool-call detection in answers. */
class ToolConversationTest {
    static final String TOOL = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}";

    @Test
    void toolConversationIsRenderedAsTheLlama31TemplateDoes() throws Exception {
        Llama llama = TestAccess.sharedModel();
        String body = "{\"model\":\"tiny-random\",\"max_tokens\":2,\"tools\":[" + TOOL + "],\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"21 C\"}]}";
        try (LlamaServer server = TestAccess.serve(1, 1024)) {
            var r = TestAccess.post(server.uri(), "/v1/chat/completions", body);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode usage = Json.MAPPER.readTree(r.body()).get("usage");
            List<Message> expected = List.of(Message.system("Be brief."),
                    Message.user(ToolCalls.prompt(List.of(Json.MAPPER.readTree(TOOL))) + "Weather in Paris?"),
                    Message.assistant("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}"),
                    new Message(Role.IPYTHON, "21 C", false, false));
            int[] prompt = new ChatFormat(llama.tokenizer(), new ChatTemplate.Llama3()).encodeDialogPrompt(expected);
            assertEquals(prompt.length, usage.get("prompt_tokens").asInt());
        }
    }

    /** A schema that forces the model's answer into the shape of a get_weather call. */
    static final String CALL_SCHEMA = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"name\",\"parameters\"],"
            + "\"properties\":{\"name\":{\"const\":\"get_weather\"},\"parameters\":{\"type\":\"object\","
            + "\"additionalProperties\":false,\"required\":[\"city\"],\"properties\":{\"city\":{\"enum\":[\"Paris\"]}}}}}";

    @Test
    void aForcedToolCallComesBackAsToolCallsOverOpenAiAndOllama() throws Exception {
        String openAi = "{\"model\":\"tiny-random\",\"max_tokens\":200,\"seed\":2,\"tools\":[" + TOOL + "],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],"
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"call\",\"schema\":" + CALL_SCHEMA + "}}";
        String ollama = "{\"model\":\"tiny-random\",\"tools\":[" + TOOL + "],\"options\":{\"num_predict\":200,\"seed\":2},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],\"format\":" + CALL_SCHEMA;
        try (LlamaServer server = TestAccess.serve(2, 1024)) {
            JsonNode body = Json.MAPPER.readTree(TestAccess.post(server.uri(), "/v1/chat/completions", openAi + "}").body());
            JsonNode choice = body.get("choices").get(0);
            assertEquals("tool_calls", choice.get("finish_reason").asText(), body.toString());
            assertTrue(choice.get("message").get("content").isNull());
            JsonNode fn = choice.get("message").get("tool_calls").get(0).get("function");
            assertEquals("get_weather", fn.get("name").asText());
            assertEquals("Paris", Json.MAPPER.readTree(fn.get("arguments").asText()).get("city").asText());

            String sse = TestAccess.post(server.uri(), "/v1/chat/completions", openAi + ",\"stream\":true}").body();
            StringBuilder content = new StringBuilder();
            JsonNode streamedCall = null;
            String finish = null;
            for (String line : sse.split("\n")) {
                if (!line.startsWith("data: {")) {
                    continue;
                }
                JsonNode c = Json.MAPPER.readTree(line.substring(6)).get("choices").get(0);
                content.append(c.get("delta").path("content").asText(""));
                if (c.get("delta").has("tool_calls")) {
                    streamedCall = c.get("delta").get("tool_calls").get(0);
                }
                if (!c.get("finish_reason").isNull()) {
                    finish = c.get("finish_reason").asText();
                }
            }
            assertEquals("", content.toString(), "a tool call is not streamed as content");
            assertEquals("tool_calls", finish);
            assertEquals(0, streamedCall.get("index").asInt());
            assertEquals("get_weather", streamedCall.get("function").get("name").asText());

            JsonNode o = Json.MAPPER.readTree(TestAccess.post(server.uri(), "/api/chat",
                    ollama + ",\"stream\":false}").body());
            JsonNode call = o.get("message").get("tool_calls").get(0).get("function");
            assertEquals("get_weather", call.get("name").asText(), o.toString());
            assertEquals("Paris", call.get("arguments").get("city").asText());
            assertEquals("", o.get("message").get("content").asText());

            String nd = TestAccess.post(server.uri(), "/api/chat", ollama + "}").body();
            String[] lines = nd.strip().split("\n");
            JsonNode lastLine = Json.MAPPER.readTree(lines[lines.length - 1]);
            assertTrue(lastLine.get("done").asBoolean());
            assertEquals("get_weather", lastLine.get("message").get("tool_calls").get(0).get("function").get("name").asText());
            for (int i = 0; i < lines.length - 1; i++) {
                assertEquals("", Json.MAPPER.readTree(lines[i]).get("message").get("content").asText(), lines[i]);
            }
        }
    }

    @Test
    void ollamaToolConversationIsRenderedLikeOpenAis() throws Exception {
        Llama llama = TestAccess.sharedModel();
        String body = "{\"model\":\"tiny-random\",\"stream\":false,\"options\":{\"num_predict\":2},\"tools\":[" + TOOL + "],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":{\"city\":\"Paris\"}}}]},{\"role\":\"tool\",\"content\":\"21 C\"}]}";
        try (LlamaServer server = TestAccess.serve(1, 1024)) {
            var r = TestAccess.post(server.uri(), "/api/chat", body);
            assertEquals(200, r.statusCode(), r.body());
            List<Message> expected = List.of(
                    Message.user(ToolCalls.prompt(List.of(Json.MAPPER.readTree(TOOL))) + "Weather in Paris?"),
                    Message.assistant("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}"),
                    new Message(Role.IPYTHON, "21 C", false, false));
            int[] prompt = new ChatFormat(llama.tokenizer(), new ChatTemplate.Llama3()).encodeDialogPrompt(expected);
            assertEquals(prompt.length, Json.MAPPER.readTree(r.body()).get("prompt_eval_count").asInt());
        }
    }

    static SequenceResult result(String text) {
        return new SequenceResult(new int[3], text, FinishReason.STOP, 128009, 10, 0, 0, 0, 0);
    }

    @Test
    void aJsonAnswerBecomesAToolCallAndIsNotStreamedAsContent() {
        ChatChoice c = new ChatChoice(0, null, true);
        String answer = "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}";
        StringBuilder streamed = new StringBuilder();
        for (String piece : List.of("{\"name\": \"get", "_weather\", \"parameters\": ", "{\"city\": \"Paris\"}}")) {
            streamed.append(c.add(new TokenOutput(1, piece, null)));
        }
        assertEquals("", streamed.toString(), "a possible tool call is held back");
        assertEquals("", c.finish(result(answer)));
        assertEquals("tool_calls", c.finishReason());
        JsonNode call = c.toolCalls(true).get(0);
        assertEquals("get_weather", call.get("function").get("name").asText());
        assertEquals("{\"city\":\"Paris\"}", call.get("function").get("arguments").asText());
        assertTrue(call.get("id").asText().startsWith("call_"));
    }

    @Test
    void proseIsStreamedAsSoonAsItCannotBeAToolCall() {
        ChatChoice c = new ChatChoice(0, null, true);
        assertEquals("", c.add(new TokenOutput(1, " ", null)));
        assertEquals(" It is", c.add(new TokenOutput(2, "It is", null)));
        assertEquals(" sunny", c.add(new TokenOutput(3, " sunny", null)));
        assertEquals("", c.finish(result(" It is sunny")));
        assertNull(c.call);
        assertEquals("stop", c.finishReason());
    }

    @Test
    void brokenJsonAtTheEndIsReleasedAsContent() {
        ChatChoice c = new ChatChoice(0, null, true);
        assertEquals("", c.add(new TokenOutput(1, "{\"oops", null)));
        assertEquals("{\"oops", c.finish(result("{\"oops")));
        assertEquals("stop", c.finishReason());
    }
}
