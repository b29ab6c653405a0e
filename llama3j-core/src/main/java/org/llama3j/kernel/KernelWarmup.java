package org.llama3j.kernel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * Runs a model's matrix kernels on a background thread while the rest of the model loads, so that
 * the JIT has compiled them before the first prompt. A new JVM runs Vector API code in the
 * interpreter and C1 first, where every vector is a heap object: the first prompt of a 1B model
 * took 0.7 s for 2 tokens that compiled code does in 30 ms (bench/RESULTS.md, time to first token).
 *
 * <p>Each round multiplies the first {@link #ROWS} rows of one real weight matrix per weight type
 * (read in place from the mapping, so the kernels see the same memory segment class as later and
 * the JIT's type profiles fit) by synthetic activations, once per batch size in
 * {@link #TOKEN_COUNTS}: every path a {@link MatMul} has (decode, small-batch tiles, packed GEMM).
 * The kernels are pure functions of their arguments, and the warm-up writes only its own buffers,
 * so it cannot change any result; it runs single-threaded beside, not inside, the worker pool.
 *
 * <p>Whole rows, not short ones: with rows of 8 blocks the JIT would compile each kernel after ~8 times
 * less interpreted work and without a second (on-stack-replacement) compile, but from a profile of
 * 8-iteration loops, and one-thread decoding then measured up to 19% more CPU per token (1 of 2 pairs,
 * at load 9); the compiled kernels are what every later token runs, so they get the real loop lengths.
 * Opt-in ({@code -Dllama3j.kernelWarmup=ROUNDS}, read by {@code Llama.load}): on a 2-core machine shared
 * with other jobs it did not shorten the time to first token (bench/RESULTS.md).
 */
public final class KernelWarmup implements AutoCloseable {
    /**
     * Batch sizes reaching every kernel path: 1 token (decode), {@link Int8Dot#TILE_TOKENS} + 1 (the
     * small-batch tiles and their remainder), 16 (at least every type's packed-GEMM threshold, two
     * 6-token GEMM tiles and the 1-token remainder).
     */
    static final int[] TOKEN_COUNTS = {1, Int8Dot.TILE_TOKENS + 1, 16};
    /** Rows per multiplication: one packed-GEMM panel, a whole number of decode row groups. */
    static final int ROWS = PackedGemm.PANEL;

    private final List<Tensor> matrices;
    private final int rounds;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile int roundsDone;

    private KernelWarmup(List<Tensor> matrices, int rounds) {
        this.matrices = matrices;
        this.rounds = rounds;
        this.thread = Thread.ofPlatform().daemon().name("llama3j-kernel-warmup").unstarted(this::run);
    }

    /**
     * Starts warming the kernels of {@code weights}' types (one matrix per type is used) for at most
     * {@code rounds} rounds on a daemon thread.
     */
    public static KernelWarmup start(Collection<Tensor> weights, int rounds) {
        if (rounds < 0) {
            throw new IllegalArgumentException("rounds must be >= 0, got " + rounds);
        }
        Set<DType> seen = EnumSet.noneOf(DType.class);
        List<Tensor> picked = new ArrayList<>();
        for (Tensor w : weights) {
            if (MatMuls.supports(w.type()) && w.rowLength() % Activations.Q8_BLOCK == 0 && seen.add(w.type())) {
                picked.add(w);
            }
        }
        KernelWarmup warmup = new KernelWarmup(List.copyOf(picked), rounds);
        warmup.thread.start();
        return warmup;
    }

    /** The weight types being warmed, in the order given. */
    public List<DType> types() {
        return matrices.stream().map(Tensor::type).toList();
    }

    /** Rounds completed so far. */
    public int roundsDone() {
        return roundsDone;
    }

    /** Waits until the warm-up has finished all its rounds (or was stopped). */
    public void await() throws InterruptedException {
        thread.join();
    }

    /** Asks the warm-up to stop after the multiplication in progress, without waiting for it. */
    public void stop() {
        stopped = true;
    }

    /** Stops the warm-up after the multiplication in progress and waits for its thread to end. */
    @Override
    public void close() {
        stop();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Job> jobs = new ArrayList<>();
        for (Tensor w : matrices) {
            for (int tokens : TOKEN_COUNTS) {
                jobs.add(new Job(w, tokens));
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (Job j : jobs) {
                if (stopped) {
                    return;
                }
                j.run();
            }
            roundsDone = r + 1;
        }
    }

    /** One multiplication of {@link #ROWS} rows of {@code w} by {@code tokens} synthetic activation vectors. */
    private static final class Job {
        private final Tensor w;
        private final MatMul kernel;
        private final int rows;
        private final Activations act = new Activations();
        private final float[] x;
        private final int tokens;
        private final float[] out;

        Job(Tensor w, int tokens) {
            this.w = w;
            this.kernel = MatMuls.of(w.type());
            this.rows = Math.min(ROWS, w.rows());
            this.tokens = tokens;
            int n = w.rowLength();
            this.x = new float[tokens * n];
            // a fixed, sign-alternating ramp: any values exercise the same code; no randomness needed
            for (int i = 0; i < x.length; i++) {
                x[i] = ((i * 7919) % 2001 - 1000) / 1000f;
            }
            this.out = new float[tokens * rows];
        }

        void run() {
            kernel.multiply(w, act.set(x, tokens, w.rowLength()), out, rows, 0, rows);
        }
    }
}
