package org.llama3j.server;

import java.util.concurrent.atomic.LongAdder;
import org.llama3j.server.http.Histogram;
import org.llama3j.server.http.RequestMetrics;
import org.llama3j.server.safety.SafetyGate;
import org.llama3j.server.scheduler.BatchScheduler;
import org.llama3j.server.scheduler.SchedulerStats;
import org.llama3j.server.scheduler.SequenceResult;

/** Everything /metrics shows, in the Prometheus text format (version 0.0.4). */
public final class ServerMetrics {
    private static final double[] SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final RequestMetrics http = new RequestMetrics();
    private final LongAdder generationRequests = new LongAdder();
    private final Histogram timeToFirstToken = new Histogram(SECONDS);
    private final Histogram queueWait = new Histogram(SECONDS);
    private final SafetyGate safety;

    public ServerMetrics(SafetyGate safety) {
        this.safety = safety;
    }

    public RequestMetrics http() {
        return http;
    }

    void requestQueued() {
        generationRequests.increment();
    }

    /** Records a finished choice's latencies. */
    public void finished(SequenceResult r) {
        queueWait.observe(r.queueNanos() / 1e9);
        timeToFirstToken.observe((r.queueNanos() + r.promptNanos()) / 1e9);
    }

    public String render(BatchScheduler scheduler) {
        StringBuilder sb = new StringBuilder();
        http.render(sb);
        counter(sb, "llama3j_generation_requests_total", "Generation requests accepted into the queue.",
                generationRequests.sum());
        if (scheduler != null) {
            SchedulerStats s = scheduler.stats();
            gauge(sb, "llama3j_queue_depth", "Sequences waiting for a slot.", scheduler.queueDepth());
            gauge(sb, "llama3j_active_sequences", "Sequences holding a slot.", s.active());
            gauge(sb, "llama3j_slots", "KV-cache slots (--parallel).", scheduler.config().slots());
            gauge(sb, "llama3j_context_size", "Positions per slot (--ctx).", scheduler.config().contextLength());
            gauge(sb, "llama3j_batch_size_max", "Largest number of sequences decoded in one step.", s.maxBatch());
            counter(sb, "llama3j_decode_steps_total", "Batched decode steps.", s.decodeSteps());
            counter(sb, "llama3j_decode_batched_sequences_total", "Sum of decode batch sizes.", s.batchedTokens());
            counter(sb, "llama3j_prompt_tokens_total", "Prompt tokens of admitted sequences.", s.promptTokens());
            counter(sb, "llama3j_prompt_cached_tokens_total", "Prompt tokens reused from a slot's KV cache.",
                    s.cachedPromptTokens());
            counter(sb, "llama3j_prefill_tokens_total", "Prompt tokens run through the model.", s.prefillTokens());
            counter(sb, "llama3j_generated_tokens_total", "Tokens generated.", s.generatedTokens());
            counter(sb, "llama3j_sequences_finished_total", "Sequences that ended normally.", s.finished());
            counter(sb, "llama3j_sequences_cancelled_total", "Sequences cancelled (client gone).", s.cancelled());
            counter(sb, "llama3j_sequences_failed_total", "Sequences that failed in the model.", s.failed());
            counter(sb, "llama3j_sequences_rejected_total", "Sequences refused because the queue was full.",
                    s.rejected());
            s.decodeStepSeconds().render(sb, "llama3j_decode_step_seconds", "Duration of one batched decode step.");
        }
        counter(sb, "llama3j_safety_blocked_prompts_total", "Requests refused by the safety policy (--guard).",
                safety.blockedInputs());
        counter(sb, "llama3j_safety_withheld_answers_total",
                "Answers withheld by the safety policy (--guard, --codeshield).", safety.blockedOutputs());
        timeToFirstToken.render(sb, "llama3j_time_to_first_token_seconds", "From queueing to the first sampled token.");
        queueWait.render(sb, "llama3j_queue_wait_seconds", "Time a sequence waited for a slot.");
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(value).append('\n');
    }
}
