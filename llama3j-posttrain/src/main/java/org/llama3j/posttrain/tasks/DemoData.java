package org.llama3j.posttrain.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.llama3j.posttrain.run.PostTrainRun;

/** Writes synthetic tasks in the post-training JSONL formats (SFT, preference pairs, prompts). */
public final class DemoData {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoData() {
    }

    public static void writeSft(List<TaskInstance> tasks, Path file) throws IOException {
        write(file, tasks.stream().map(t -> (Object) Map.of("messages", List.of(
                Map.of("role", "user", "content", t.prompt()),
                Map.of("role", "assistant", "content", t.answer())))).toList());
    }

    public static void writePreferences(List<TaskInstance> tasks, Path file) throws IOException {
        write(file, tasks.stream().map(t -> (Object) Map.of("prompt", t.prompt(), "chosen", t.answer(),
                "rejected", t.wrongAnswer())).toList());
    }

    public static void writePrompts(List<TaskInstance> tasks, Path file) throws IOException {
        write(file, tasks.stream().map(t -> (Object) Map.of("prompt", t.prompt(), "answer", t.answer())).toList());
    }

    private static void write(Path file, List<Object> records) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Object r : records) {
            sb.append(JSON.writeValueAsString(r)).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        PostTrainRun.writeAtomically(file, out -> out.write(bytes));
    }
}
