package org.llama3j.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dialog strings and ids against scripts/oracle/tokenizer_golden.py: "llama3.1" dialogs rendered by the
 * official Llama 3.1 Jinja template (jinja2, as transformers' apply_chat_template) and tokenized by
 * tiktoken; "llama3" dialogs by a transcription of Meta's reference ChatFormat.
 */
class ChatFormatTest {
    private static Tokenizer tokenizer;

    private static synchronized Tokenizer tokenizer() throws IOException {
        if (tokenizer == null) {
            try (InputStream in = ChatFormatTest.class.getResourceAsStream("/llama3/tokenizer.model")) {
                tokenizer = Llama3Tokenizer.load(in, "tokenizer.model");
            }
        }
        return tokenizer;
    }

    @Test
    void matchesGoldenDialogs() throws IOException {
        JsonNode dialogs;
        try (InputStream in = new GZIPInputStream(ChatFormatTest.class.getResourceAsStream("/llama3/chat-golden.json.gz"))) {
            dialogs = new ObjectMapper().readTree(in);
        }
        assertEquals(9, dialogs.size());
        for (JsonNode d : dialogs) {
            String name = d.get("name").asText();
            ChatTemplate template = switch (d.get("template").asText()) {
                case "llama3" -> new ChatTemplate.Llama3();
                case "llama3.1" -> new ChatTemplate.Llama31(d.path("date").asText(ChatTemplate.Llama31.DEFAULT_DATE),
                        d.has("builtin_tools") ? strings(d.get("builtin_tools")) : null);
                default -> throw new IllegalStateException(name);
            };
            ChatFormat format = new ChatFormat(tokenizer(), template);
            List<Message> messages = messages(d.get("messages"));
            assertEquals(d.get("text").asText(), format.render(messages, true), name);
            int[] ids = new int[d.get("ids").size()];
            for (int i = 0; i < ids.length; i++) ids[i] = d.get("ids").get(i).asInt();
            assertArrayEquals(ids, format.encodeDialogPrompt(messages), name);
        }
    }

    private static List<Message> messages(JsonNode array) {
        List<Message> out = new ArrayList<>();
        for (JsonNode m : array) {
            if (m.has("tool")) {
                Map<String, String> args = new LinkedHashMap<>();
                m.get("tool").get("arguments").properties().forEach(e -> args.put(e.getKey(), e.getValue().asText()));
                out.add(Message.builtinToolCall(m.get("tool").get("name").asText(), args));
            } else if (m.path("python_tag").asBoolean(false)) {
                out.add(new Message(Role.ASSISTANT, m.get("content").asText(), true, m.path("eom").asBoolean(false)));
            } else {
                out.add(new Message(Role.parse(m.get("role").asText()), m.get("content").asText(), false, false));
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void encodesSystemAndUserExactly() throws IOException {
        ChatFormat format = new ChatFormat(tokenizer(), new ChatTemplate.Llama3());
        int[] ids = format.encodeDialogPrompt(List.of(
                Message.system(" You are a helpful assistant. "), Message.user("Hi\n")));
        // Meta ChatFormat.encode_dialog_prompt via tiktoken
        assertArrayEquals(new int[]{128000, 128006, 9125, 128007, 271, 2675, 527, 264, 11190, 18328, 13, 128009,
                128006, 882, 128007, 271, 13347, 128009, 128006, 78191, 128007, 271}, ids);
    }

    @Test
    void pythonTagToolCallEndsWithEom() throws IOException {
        ChatFormat format = new ChatFormat(tokenizer(), new ChatTemplate.Llama3());
        int[] ids = format.encode(List.of(Message.pythonCall("import math\nprint(math.sin(1))")), false);
        assertArrayEquals(new int[]{128000, 128006, 78191, 128007, 271, 128010, 475, 7033, 198, 1374, 38370, 16719,
                7, 16, 595, 128008}, ids);
        assertEquals("<|begin_of_text|><|start_header_id|>assistant<|end_header_id|>\n\n<|python_tag|>import math\n"
                + "print(math.sin(1))<|eom_id|>", format.render(List.of(Message.pythonCall("import math\nprint(math.sin(1))")), false));
        assertArrayEquals(new int[]{128001, 128008, 128009}, format.stopTokens());
    }

    @Test
    void toolRoleIsIpythonAndBadMessagesAreRejected() {
        assertEquals(Role.IPYTHON, Role.parse("tool"));
        assertThrows(ChatFormatException.class, () -> Role.parse("bot"));
        ChatFormatException e = assertThrows(ChatFormatException.class, () -> new Message(Role.USER, "x", true, false));
        assertTrue(e.getMessage().contains("USER"), e.getMessage());
    }
}
