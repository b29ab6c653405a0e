package org.llama3j.posttrain.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llama3j.chat.Message;
import org.llama3j.posttrain.TinyModels;
import org.llama3j.tokenizer.Tokenizer;

class ChatRecordsTest {

    private static <T> Validated<T> read(String text, JsonlRecords.Parser<T> parser) throws IOException {
        return JsonlRecords.read(new BufferedReader(new StringReader(text)), "data.jsonl", parser);
    }

    @Test
    void malformedSftRecordsAreReportedWithTheirLines() throws IOException {
        String jsonl = """
                {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}
                {"messages": [{"content": "hi"}, {"role": "assistant", "content": "hello"}]}

                {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "  "}]}
                {"messages": [{"role": "user", "content": "hi"}]}
                {"instruction": "Add 2 and 3", "input": "", "output": "5"}
                {"instruction": "Add", "output": ""}
                not json
                {"messages": [{"role": "wizard", "content": "x"}, {"role": "assistant", "content": "y"}]}
                """;
        Validated<ChatExample> v = read(jsonl, ChatRecords::sft);
        assertEquals(List.of(1, 6), v.records().stream().map(ChatExample::line).toList());
        assertEquals(List.of(
                "data.jsonl:2: messages[0] has no role",
                "data.jsonl:4: messages[1] (assistant) is empty",
                "data.jsonl:5: no assistant message",
                "data.jsonl:7: field 'output' is empty",
                "data.jsonl:8: invalid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                "data.jsonl:9: messages[0]: unknown chat role 'wizard' (expected system, user, assistant, ipython or tool)"),
                v.issues().stream().map(RecordIssue::toString).toList());
        assertEquals(List.of(Message.user("Add 2 and 3"), Message.assistant("5")), v.records().get(1).messages());

        List<String> reported = new ArrayList<>();
        assertEquals(2, v.apply(BadRecordPolicy.SKIP, reported::add).size());
        assertEquals(6, reported.size());
        MalformedDatasetException e = assertThrows(MalformedDatasetException.class,
                () -> v.apply(BadRecordPolicy.REJECT, reported::add));
        assertEquals(6, e.issues().size());
    }

    @Test
    void preferencePairsNeedDistinctNonEmptyReplies() throws IOException {
        String jsonl = """
                {"prompt": "2+2?", "chosen": "4", "rejected": "5"}
                {"prompt": "2+2?", "chosen": "4", "rejected": " 4 "}
                {"prompt": "2+2?", "chosen": "", "rejected": "5"}
                {"chosen": "4", "rejected": "5"}
                {"prompt": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}], "chosen": "4", "rejected": "5"}
                """;
        Validated<PreferenceExample> v = read(jsonl, ChatRecords::preference);
        assertEquals(1, v.records().size());
        assertEquals(List.of("data.jsonl:2: chosen == rejected (no preference to learn)",
                "data.jsonl:3: field 'chosen' is empty", "data.jsonl:4: missing field 'prompt'",
                "data.jsonl:5: prompt must not end with an assistant message"),
                v.issues().stream().map(RecordIssue::toString).toList());
    }

    @Test
    void tooLongDialogsBecomeIssuesAndTheMaskCoversOnlyAssistantTokens() throws IOException {
        Tokenizer tok = TinyModels.chatModel(16, 1, 64, 1).tokenizer();
        ChatEncoder enc = new ChatEncoder(tok);
        String jsonl = """
                {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "What is 2 plus 3?"}, {"role": "assistant", "content": "5."}, {"role": "user", "content": "Reverse abc"}, {"role": "assistant", "content": "cba."}]}
                {"instruction": "Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? Hello there, how are you? ", "output": "I am fine, thank you."}
                """;
        Validated<EncodedDialog> v = DatasetEncoding.sft(read(jsonl, ChatRecords::sft), enc, 120, "data.jsonl");
        assertEquals(1, v.records().size(), v.issues().toString());
        assertEquals(1, v.issues().size());
        assertEquals(2, v.issues().getFirst().line());
        EncodedDialog d = v.records().getFirst();
        List<Integer> trained = new ArrayList<>();
        for (int i = 0; i < d.length(); i++) {
            if (d.trained()[i]) {
                trained.add(d.tokens()[i]);
            }
        }
        int eot = enc.endOfTurn();
        List<Integer> expected = new ArrayList<>();
        for (int id : tok.encode("5.", false, false)) {
            expected.add(id);
        }
        expected.add(eot);
        for (int id : tok.encode("cba.", false, false)) {
            expected.add(id);
        }
        expected.add(eot);
        assertEquals(expected, trained);
        // the last token is the final <|eot_id|> and it is trained
        assertEquals(eot, d.tokens()[d.length() - 1]);
        assertArrayEquals(new boolean[] {false, false}, Arrays.copyOf(d.trained(), 2));
    }

    /** {@code {"text": …}}: a plain document framed as in pretraining, every token after BOS trained. */
    @Test
    void plainTextRecordsAreTrainedOnEveryToken() throws IOException {
        Tokenizer tok = TinyModels.chatModel(16, 1, 64, 1).tokenizer();
        ChatEncoder enc = new ChatEncoder(tok);
        Validated<ChatExample> v = read("""
                {"text": "The old church stood on a hill."}
                {"text": "  "}
                """, ChatRecords::sft);
        assertEquals(List.of("data.jsonl:2: field 'text' is empty"), v.issues().stream().map(RecordIssue::toString).toList());
        assertEquals(java.util.Optional.of("The old church stood on a hill."), v.records().getFirst().text());
        EncodedDialog d = DatasetEncoding.sft(v, enc, 120, "data.jsonl").records().getFirst();
        int[] body = tok.encode("The old church stood on a hill.", false, false);
        int[] expected = new int[body.length + 2];
        expected[0] = tok.specialId(org.llama3j.tokenizer.Llama3Tokenizer.BEGIN_OF_TEXT);
        System.arraycopy(body, 0, expected, 1, body.length);
        expected[body.length + 1] = tok.specialId(org.llama3j.tokenizer.Llama3Tokenizer.END_OF_TEXT);
        assertArrayEquals(expected, d.tokens());
        boolean[] mask = new boolean[expected.length];
        Arrays.fill(mask, 1, mask.length, true);
        assertArrayEquals(mask, d.trained());
    }
}
