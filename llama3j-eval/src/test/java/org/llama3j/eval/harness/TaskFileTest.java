package org.llama3j.eval.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskFileTest {

    @Test
    void readsEachTypeWithDefaultsAndSeparatesTheFewshotPool() {
        Task mc = TaskFile.parse("""
                {"type":"multiple_choice","context":"2+2 =","choices":["3","4"],"answer":1,"fewshot":true}

                {"type":"multiple_choice","id":"q1","context":"1+1 =","choices":["2","3"],"answer":0}
                """, "arith", "arith.jsonl");
        assertEquals("multiple_choice", mc.type());
        assertEquals(1, mc.items().size());
        assertEquals(1, mc.fewshotPool().size());
        assertEquals(new TaskItem.Choice("q1", false, "1+1 =", List.of("2", "3"), 0, " "), mc.items().get(0));
        assertEquals("2+2 = 4", mc.fewshotPool().get(0).demonstration());
        Task gen = TaskFile.parse("{\"type\":\"generation\",\"prompt\":\"3+4=\",\"target\":\"7\"}", "g", "g.jsonl");
        assertEquals(new TaskItem.Generation("0", false, "3+4=", Optional.of("7"), Optional.empty(), 32, List.of("\n")),
                gen.items().get(0));
        Task chat = TaskFile.parse("{\"type\":\"generation\",\"prompt\":\"Hi!\",\"regex\":\"^Hello\",\"chat\":true}", "c", "c.jsonl");
        assertEquals(new TaskItem.Generation("0", false, "Hi!", Optional.empty(), Optional.of("^Hello"), 32, List.of("\n"), true),
                chat.items().get(0));
    }

    @Test
    void badLinesAreNamedByFileAndLine() {
        assertMessage("t.jsonl:2: not JSON", "{\"type\":\"perplexity\",\"text\":\"a\"}\n{oops");
        assertMessage("t.jsonl:1: missing \"answer\"", "{\"type\":\"multiple_choice\",\"context\":\"c\",\"choices\":[\"a\",\"b\"]}");
        assertMessage("t.jsonl:1: \"answer\" 2 is not an index", "{\"type\":\"multiple_choice\",\"context\":\"c\",\"choices\":[\"a\",\"b\"],\"answer\":2}");
        assertMessage("t.jsonl:1: unknown field \"anwser\"", "{\"type\":\"perplexity\",\"text\":\"a\",\"anwser\":1}");
        assertMessage("t.jsonl:2: type \"generation\" differs", "{\"type\":\"perplexity\",\"text\":\"a\"}\n{\"type\":\"generation\",\"prompt\":\"p\",\"target\":\"t\"}");
        assertMessage("t.jsonl:1: unknown type \"mc\"", "{\"type\":\"mc\"}");
        assertMessage("t.jsonl:1: \"regex\" does not compile", "{\"type\":\"generation\",\"prompt\":\"p\",\"regex\":\"(\"}");
        assertMessage("t.jsonl: no scored items", "\n\n");
        assertMessage("t.jsonl:1: a \"chat\" item cannot be \"fewshot\"",
                "{\"type\":\"generation\",\"prompt\":\"p\",\"target\":\"t\",\"chat\":true,\"fewshot\":true}");
    }

    private static void assertMessage(String start, String jsonl) {
        TaskFormatException e = assertThrows(TaskFormatException.class, () -> TaskFile.parse(jsonl, "t", "t.jsonl"));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
