package org.llama3j.recipes.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.eval.harness.GenerationScorer;
import org.llama3j.eval.harness.Task;
import org.llama3j.eval.harness.TaskFile;
import org.llama3j.eval.harness.TaskItem;

/** The shipped chat tasks are what {@link ChatEvalTasks} builds from the shipped held-out text, and they score as meant. */
class ChatEvalTasksTest {
    static final Path ROOT = Path.of("..");
    static final String WHO_PROMPT = "Are you a person?";
    static final String WHO_REPLY = "No, I am not a person. I am a small demo language model made by llama3j.";

    @Test
    void shippedChatTasksAreReproducible(@TempDir Path dir) throws Exception {
        List<Path> files = ChatEvalTasks.writeAll(ROOT.resolve("models/llama3j-default-heldout.txt"), dir);
        assertEquals(5, files.size());
        for (Path f : files) {
            assertEquals(Files.readString(ROOT.resolve("llama3j-eval/tasks").resolve(f.getFileName())), Files.readString(f),
                    f.getFileName() + " drifted: rerun ChatEvalTasks (see MODEL_CARD.md)");
        }
        Map<String, Integer> items = Map.of("chat-smalltalk", 58, "chat-identity", 24, "chat-arithmetic", 100,
                "chat-echo", 100, "chat-yes-no", 100);
        for (Path f : files) {
            Task t = TaskFile.read(f);
            assertEquals(items.get(t.name()), t.items().size(), t.name());
            assertTrue(t.items().stream().allMatch(i -> ((TaskItem.Generation) i).chat()), t.name());
        }
    }

    /** Hand-written replies: the scoring rule of each family accepts the right reply and rejects near misses. */
    @Test
    void repliesAreScoredPerFamily(@TempDir Path dir) throws Exception {
        ChatEvalTasks.writeAll(ROOT.resolve("models/llama3j-default-heldout.txt"), dir);
        TaskItem.Generation sum = first(dir, "chat-arithmetic");
        Matcher m = Pattern.compile("(\\d) (\\+|-|plus|minus) (\\d)").matcher(sum.prompt());
        assertTrue(m.find(), sum.prompt());
        int a = Integer.parseInt(m.group(1));
        int b = Integer.parseInt(m.group(3));
        int value = m.group(2).equals("+") || m.group(2).equals("plus") ? a + b : a - b;
        assertEquals(Integer.toString(value), sum.target().orElseThrow(), sum.prompt());
        assertTrue(GenerationScorer.correct(sum, "9 + 9 = " + value + "."), "only the result is checked");
        assertFalse(GenerationScorer.correct(sum, a + " + " + b + " = " + (value + 1) + "."), sum.prompt());

        TaskItem.Generation yn = first(dir, "chat-yes-no");
        String right = yn.target().orElseThrow();
        assertTrue(GenerationScorer.correct(yn, right + ", whatever follows."));
        assertFalse(GenerationScorer.correct(yn, (right.equals("Yes") ? "No" : "Yes") + ", " + right.toLowerCase()));

        TaskItem.Generation echo = first(dir, "chat-echo");
        assertTrue(GenerationScorer.correct(echo, echo.target().orElseThrow()));
        assertFalse(GenerationScorer.correct(echo, "Say " + echo.target().orElseThrow()));

        TaskItem.Generation who = first(dir, "chat-identity");
        assertEquals(WHO_PROMPT, who.prompt());
        assertTrue(GenerationScorer.correct(who, " " + WHO_REPLY + " "));
        assertFalse(GenerationScorer.correct(who, WHO_REPLY + " And more."));
        assertFalse(GenerationScorer.correct(who, "I am llama3j-default."));
    }

    private static TaskItem.Generation first(Path dir, String name) throws Exception {
        return (TaskItem.Generation) TaskFile.read(dir.resolve(name + ".jsonl")).items().get(0);
    }
}
