package org.llama3j.server.scheduler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.llama3j.Llama;
import org.llama3j.generate.FinishReason;
import org.llama3j.model.InferenceState;
import org.llama3j.model.LlamaModel;
import org.llama3j.model.Workspace;

/**
 * Continuous batching: one thread owns the model and loops over
 * <ol>
 *   <li>admit waiting requests into free slots (the slot whose cached ids share the longest prefix
 *       with the prompt, so a repeated system prompt or an earlier chat turn is not recomputed);</li>
 *   <li>prefill at most {@link SchedulerConfig#prefillBudget()} prompt tokens, oldest admission first,
 *       so a long prompt advances in chunks between decode steps instead of starving running sequences;</li>
 *   <li>one {@link LlamaModel#decode} over every sequence that has a token to feed: each weight matrix
 *       is read once for the whole batch;</li>
 *   <li>sample per sequence with its own seeded sampler, stream the token out, retire finished
 *       sequences and free their slots.</li>
 * </ol>
 * New requests join at the next iteration; nobody waits for a whole batch to finish (Yu et al. 2022,
 * "Orca", iteration-level scheduling).
 */
public final class BatchScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BatchScheduler.class.getName());

    private final Llama llama;
    private final LlamaModel model;
    private final SchedulerConfig config;
    private final BlockingQueue<ActiveSequence> queue;
    private final List<Slot> free = new ArrayList<>();
    private final List<ActiveSequence> running = new ArrayList<>();
    private final Workspace workspace = new Workspace();
    // per-step arrays kept across steps: the decode loop allocates nothing per step (see decode)
    private final List<ActiveSequence> batch = new ArrayList<>();
    private final InferenceState[] batchStates;
    private final int[] batchTokens;
    /** Logits of the last pass, grown to the largest batch seen (at most slots × vocabulary). */
    private float[] logits = new float[0];
    private final SchedulerStats stats = new SchedulerStats();
    private final Thread thread;
    private volatile boolean closed;
    private long clock;

    public BatchScheduler(Llama llama, SchedulerConfig config) {
        this.llama = llama;
        this.model = llama.model();
        int maxContext = llama.config().contextLength();
        if (config.contextLength() > maxContext) {
            throw new IllegalArgumentException("context of " + config.contextLength()
                    + " positions exceeds the model's trained context of " + maxContext);
        }
        this.config = config;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.batchStates = new InferenceState[config.slots()];
        this.batchTokens = new int[config.slots()];
        for (int i = 0; i < config.slots(); i++) {
            free.add(new Slot(i, model.newState(config.contextLength())));
        }
        this.thread = Thread.ofPlatform().name("llama3j-scheduler").daemon(true).unstarted(this::loop);
        thread.start();
    }

    public SchedulerConfig config() {
        return config;
    }

    public SchedulerStats stats() {
        return stats;
    }

    /** Requests waiting for a slot. */
    public int queueDepth() {
        return queue.size();
    }

    /**
     * Queues several sequences (the {@code n} choices of one request) all or none.
     *
     * @throws QueueFullException when the queue has no room for all of them
     */
    public List<SequenceHandle> submitAll(List<SequenceSpec> specs, List<SequenceSink> sinks) {
        if (closed) {
            throw new IllegalStateException("the scheduler is shut down");
        }
        List<ActiveSequence> seqs = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            SequenceSpec spec = specs.get(i);
            if (spec.prompt().length >= config.contextLength()) {
                throw new IllegalArgumentException("prompt of " + spec.prompt().length
                        + " tokens does not fit the context of " + config.contextLength());
            }
            seqs.add(new ActiveSequence(spec, sinks.get(i), new SequenceHandle(), llama.textStream(),
                    llama.endTokens(), model.config().vocabSize()));
        }
        synchronized (queue) {
            if (queue.remainingCapacity() < seqs.size()) {
                stats.rejected.addAndGet(seqs.size());
                throw new QueueFullException(config.queueCapacity());
            }
            queue.addAll(seqs);
        }
        return seqs.stream().map(s -> s.handle).toList();
    }

    public SequenceHandle submit(SequenceSpec spec, SequenceSink sink) {
        return submitAll(List.of(spec), List.of(sink)).getFirst();
    }

    private void loop() {
        while (!closed) {
            try {
                iterate();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | Error e) {
                // a bug in one step must not stop the server: fail what was running, keep serving
                LOG.log(Level.SEVERE, "scheduler step failed", e);
                for (ActiveSequence s : running) {
                    if (!s.done()) {
                        s.error = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                    }
                }
                retire();
            }
        }
        drainOnClose();
    }

    private void iterate() throws InterruptedException {
        if (running.isEmpty()) {
            ActiveSequence s = queue.poll(100, TimeUnit.MILLISECONDS);
            if (s == null) {
                return;
            }
            admit(s);
        }
        while (!free.isEmpty()) {
            ActiveSequence s = queue.poll();
            if (s == null) {
                break;
            }
            admit(s);
        }
        prefill();
        decode();
        retire();
        if (!config.stepPause().isZero()) {
            Thread.sleep(config.stepPause());
        }
    }

    private void admit(ActiveSequence s) {
        if (s.handle.cancelled()) {
            s.finish(FinishReason.CANCELLED, -1);
            complete(s);
            return;
        }
        Slot best = free.getFirst();
        int bestCommon = -1;
        for (Slot slot : free) {
            int common = slot.commonPrefix(s.spec.prompt());
            // longest shared prefix first; among equals the least recently used, to keep others' caches
            if (common > bestCommon || (common == bestCommon && slot.lastUsed < best.lastUsed)) {
                best = slot;
                bestCommon = common;
            }
        }
        free.remove(best);
        s.admit(best);
        stats.promptTokens.addAndGet(s.spec.prompt().length);
        stats.cachedPromptTokens.addAndGet(s.cachedTokens);
        running.add(s);
        stats.active.set(running.size());
    }

    private void prefill() {
        int budget = config.prefillBudget();
        for (ActiveSequence s : running) {
            if (budget == 0) {
                break;
            }
            if (!s.prefilling()) {
                continue;
            }
            if (s.handle.cancelled()) {
                s.finish(FinishReason.CANCELLED, -1);
                continue;
            }
            try {
                int[] chunk = s.nextChunk(budget);
                float[] out = model.forward(s.slot.state, chunk, chunk.length, chunk.length - 1, logitsFor(1));
                s.prefilled += chunk.length;
                budget -= chunk.length;
                stats.prefillTokens.addAndGet(chunk.length);
                if (!s.prefilling()) {
                    s.accept(out, 0);
                }
            } catch (RuntimeException e) {
                s.error = e;
            }
        }
    }

    private void decode() {
        batch.clear();
        for (ActiveSequence s : running) {
            if (s.decoding()) {
                if (s.handle.cancelled()) {
                    s.finish(FinishReason.CANCELLED, -1);
                } else {
                    batch.add(s);
                }
            }
        }
        int n = batch.size();
        if (n == 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            batchStates[i] = batch.get(i).slot.state;
            batchTokens[i] = batch.get(i).pendingToken;
        }
        long t0 = System.nanoTime();
        float[] out = model.decode(workspace, batchStates, n, batchTokens, logitsFor(n));
        stats.decodeStepSeconds.observe((System.nanoTime() - t0) / 1e9);
        stats.decodeSteps.incrementAndGet();
        stats.batchedTokens.addAndGet(n);
        stats.maxBatch.accumulateAndGet(n, Math::max);
        int vocab = model.config().vocabSize();
        for (int i = 0; i < n; i++) {
            ActiveSequence s = batch.get(i);
            try {
                s.accept(out, i * vocab);
            } catch (RuntimeException e) {
                s.error = e;
            }
        }
        Arrays.fill(batchStates, 0, n, null);
        batch.clear();
    }

    /**
     * The logits buffer with room for {@code rows} rows, grown (never shrunk) to the largest batch:
     * a fresh array per step would be {@code rows × vocabulary × 4} bytes of garbage (4 MB at 8
     * sequences and 128k tokens), which is what made the heap grow under load. Only the scheduler
     * thread uses it, and each step's rows are consumed before the next pass overwrites them.
     */
    private float[] logitsFor(int rows) {
        int size = rows * model.config().vocabSize();
        if (logits.length < size) {
            logits = new float[size];
        }
        return logits;
    }

    private void retire() {
        for (int i = running.size() - 1; i >= 0; i--) {
            ActiveSequence s = running.get(i);
            if (s.done()) {
                running.remove(i);
                // before the sink answers the client, so that whoever got the answer sees the slot free
                stats.active.set(running.size());
                if (s.error != null) {
                    fail(s);
                } else {
                    release(s.slot, s);
                    complete(s);
                }
            }
        }
        stats.active.set(running.size());
    }

    private void release(Slot slot, ActiveSequence s) {
        slot.remember(s.tokens(), s.tokenCount());
        slot.lastUsed = ++clock;
        free.add(slot);
    }

    private void complete(ActiveSequence s) {
        stats.generatedTokens.addAndGet(s.produced());
        if (s.result.finishReason() == FinishReason.CANCELLED) {
            stats.cancelled.incrementAndGet();
        } else {
            stats.finished.incrementAndGet();
        }
        try {
            s.sink.onFinish(s.result);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "sequence sink failed", e);
        }
    }

    private void fail(ActiveSequence s) {
        LOG.log(Level.WARNING, "sequence failed", s.error);
        stats.failed.incrementAndGet();
        s.slot.clear();
        s.slot.lastUsed = ++clock;
        free.add(s.slot);
        try {
            s.sink.onError(s.error);
        } catch (RuntimeException e2) {
            LOG.log(Level.WARNING, "sequence sink failed", e2);
        }
    }

    private void drainOnClose() {
        List<ActiveSequence> left = new ArrayList<>(running);
        queue.drainTo(left);
        for (ActiveSequence s : left) {
            if (s.error != null) {
                fail(s);
                continue;
            }
            if (!s.done()) {
                s.finish(FinishReason.CANCELLED, -1);
            }
            complete(s);
        }
        running.clear();
    }

    /** Stops the scheduler thread; running and queued sequences end as cancelled. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
