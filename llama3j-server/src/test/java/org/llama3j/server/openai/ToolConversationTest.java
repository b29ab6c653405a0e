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
