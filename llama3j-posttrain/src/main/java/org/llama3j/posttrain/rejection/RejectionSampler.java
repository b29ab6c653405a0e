package org.llama3j.posttrain.rejection;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.llama3j.chat.Message;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.posttrain.data.PromptExample;
import org.llama3j.posttrain.generate.ReplySampler;
import org.llama3j.posttrain.reward.RewardModel;
import org.llama3j.posttrain.run.PostTrainRun;

/**
 * Rejection sampling (Llama 2 §3.2.3, Llama 3 §4.2.2): for each prompt draw N replies from the
 * policy, score each (prompt + reply) with the reward model, keep the best, and write the kept
 * dialogs as an SFT JSONL file ({@code {"messages": [...], "score": s, "line": n}}), atomically.
 */
public final class RejectionSampler {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The kept reply of one prompt. */
    public record Kept(PromptExample prompt, String reply, double score, double meanScore) {
    }

    public record Settings(int samples, int maxNewTokens, double temperature, long seed) {
        public Settings {
            if (samples < 1) {
                throw new IllegalArgumentException("rejection samples must be >= 1, got " + samples);
            }
            if (maxNewTokens < 1) {
                throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
            }
        }
    }

    private RejectionSampler() {
    }

    public static List<Kept> run(ReplySampler generator, ChatEncoder encoder, RewardModel reward,
                                 List<PromptExample> prompts, Settings s, Consumer<String> progress) {
        List<Kept> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            PromptExample p = prompts.get(i);
            int[] prompt = encoder.encodePrompt(p.prompt());
            SplittableRandom rnd = new SplittableRandom(s.seed() * 1_000_003L + p.line());
            List<int[]> replies = generator.sample(prompt, s.samples(), s.maxNewTokens(), s.temperature(), rnd);
            List<int[]> dialogs = new ArrayList<>();
            for (int[] r : replies) {
                int[] d = java.util.Arrays.copyOf(prompt, prompt.length + r.length);
                System.arraycopy(r, 0, d, prompt.length, r.length);
                dialogs.add(d);
            }
            float[] scores = reward.score(dialogs);
            int best = 0;
            double mean = 0;
            for (int k = 0; k < scores.length; k++) {
                mean += scores[k] / scores.length;
                if (scores[k] > scores[best]) {
                    best = k;
                }
            }
            out.add(new Kept(p, encoder.decodeReply(replies.get(best)), scores[best], mean));
            if ((i + 1) % 10 == 0 || i + 1 == prompts.size()) {
                progress.accept("rejection sampling: " + (i + 1) + "/" + prompts.size() + " prompts");
            }
        }
        return out;
    }

    /** Writes the kept dialogs as SFT JSONL (skipping empty replies, which SFT would reject). */
    public static int write(List<Kept> kept, Path out) throws IOException {
        StringBuilder sb = new StringBuilder();
        int written = 0;
        for (Kept k : kept) {
            if (k.reply().isBlank()) {
                continue;
            }
            List<Map<String, String>> messages = new ArrayList<>();
            for (Message m : k.prompt().prompt()) {
                messages.add(Map.of("role", m.role().header(), "content", m.content()));
            }
            messages.add(Map.of("role", "assistant", "content", k.reply()));
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("messages", messages);
            line.put("score", k.score());
            line.put("line", k.prompt().line());
            sb.append(JSON.writeValueAsString(line)).append('\n');
            written++;
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        PostTrainRun.writeAtomically(out, o -> o.write(bytes));
        return written;
    }
}
