package org.llama3j.kernel;

import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * Matrix multiplication {@code out = x · Wᵀ} for one weight type: every input vector of a batch
 * times every row of a weight matrix read in place (from the mmap). One implementation per
 * {@link DType}; {@link MatMuls} picks it and splits rows across the worker pool.
 *
 * <p>Layout: {@code w} has {@code w.rows()} rows of {@code w.rowLength()} elements; {@code x}
 * holds {@code x.tokens()} vectors of that length; {@code out[t * outStride + r]} receives the
 * product of token {@code t} and row {@code r}. Rows are the outer loop so a weight row is read
 * from memory once per batch (decode is a batch of one; prefill reuses each row for every token).
 */
public interface MatMul {

    /** The weight type this kernel reads. */
    DType type();

    /**
     * Computes, on the calling thread before the rows are split between workers, the forms of {@code x} this
     * kernel reads. The forms are lazy and synchronized: without this the first worker to ask computes them
     * alone while the others block on the {@link Activations} monitor. For a large batch that wastes the
     * others' cores; for one decode token the blocked worker waits on a contended monitor, where the JVM may park
     * it and wake it late (not measured directly: C2's monitor-locking slow path showed in the profile). Q4_0
     * decode of the 1B model, 2 threads: the down projection, whose input is 8,192 wide, ran 3–5% faster relative
     * to the gate/up step of the same run with its activations quantized before the split (bench/RESULTS.md).
     */
    default void prepare(Tensor w, Activations x) {
    }

    /** Computes rows {@code [rowFrom, rowTo)} of the product for every token of {@code x}. */
    void multiply(Tensor w, Activations x, float[] out, int outStride, int rowFrom, int rowTo);
}
