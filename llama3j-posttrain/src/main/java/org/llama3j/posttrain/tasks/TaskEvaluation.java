package org.llama3j.posttrain.tasks;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.llama3j.chat.Message;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.posttrain.generate.ReplySampler;

/** Held-out task accuracy: greedy replies in the chat format, checked by {@link TaskInstance#check}. */
public final class TaskEvaluation {

    /** Overall accuracy and per kind. */
    public record Accuracy(double overall, Map<TaskKind, Double> byKind) {
    }

    private TaskEvaluation() {
    }

    public static Accuracy evaluate(ReplySampler generator, ChatEncoder encoder, List<TaskInstance> tasks,
                                    int maxNewTokens) {
        Map<TaskKind, int[]> counts = new EnumMap<>(TaskKind.class);
        int correct = 0;
        for (TaskInstance t : tasks) {
            int[] prompt = encoder.encodePrompt(List.of(Message.user(t.prompt())));
            int[] reply = generator.sample(prompt, 1, maxNewTokens, 0, new SplittableRandom(0)).getFirst();
            boolean ok = t.check(encoder.decodeReply(reply));
            correct += ok ? 1 : 0;
            int[] c = counts.computeIfAbsent(t.kind(), k -> new int[2]);
            c[0] += ok ? 1 : 0;
            c[1]++;
        }
        Map<TaskKind, Double> byKind = new EnumMap<>(TaskKind.class);
        counts.forEach((k, c) -> byKind.put(k, (double) c[0] / c[1]));
        return new Accuracy((double) correct / tasks.size(), byKind);
    }
}
