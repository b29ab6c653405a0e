package org.llama3j.format.hf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The row permutation between HF's and Meta's/GGUF's layout of the q and k projection weights.
 *
 * <p>HF checkpoints rotate pairs (i, i + d/2) within each head of size d ("rotate_half"); Meta's
 * original checkpoints and GGUF rotate adjacent pairs (2i, 2i + 1). convert_hf_to_gguf.py's
 * {@code LlamaModel.permute} turns one into the other by reshaping the output rows to
 * {@code [n_head, 2, d/2]} and swapping the last two axes: interleaved row {@code h*d + 2i + s} is
 * HF row {@code h*d + s*d/2 + i}. For k use the number of KV heads.
 *
 * <p>Data is row-major with {@code rows} = n_head * d output rows (HF {@code [out, in]}; the same
 * bytes as a ggml {@code [in, out]} tensor), so only whole rows move.
 */
public final class RopePermutation {
    private RopePermutation() {
    }

    /** The HF row that lands at interleaved row {@code row}. */
    public static int hfRowForInterleaved(int row, int rows, int nHeads) {
        int d = headSize(rows, nHeads);
        int h = row / d;
        int r = row % d;
        return h * d + (r & 1) * (d / 2) + (r >> 1);
    }

    /** The interleaved row that lands at HF row {@code row} (the inverse of {@link #hfRowForInterleaved}). */
    public static int interleavedRowForHf(int row, int rows, int nHeads) {
        int d = headSize(rows, nHeads);
        int h = row / d;
        int r = row % d;
        int half = d / 2;
        return h * d + 2 * (r % half) + r / half;
    }

    /** HF half-split rows to interleaved (GGUF) rows: what convert_hf_to_gguf.py does on load. */
    public static float[] toInterleaved(float[] weights, int rows, int cols, int nHeads) {
        return permute(weights, rows, cols, nHeads, true);
    }

    /** Interleaved (GGUF) rows back to HF half-split rows: for saving HF checkpoints. */
    public static float[] toHalfSplit(float[] weights, int rows, int cols, int nHeads) {
        return permute(weights, rows, cols, nHeads, false);
    }

    /** Row permutation of raw row-major data of any element type ({@code rowBytes} bytes per row). */
    public static MemorySegment toInterleaved(MemorySegment weights, int rows, long rowBytes, int nHeads) {
        return permute(weights, rows, rowBytes, nHeads, true);
    }

    public static MemorySegment toHalfSplit(MemorySegment weights, int rows, long rowBytes, int nHeads) {
        return permute(weights, rows, rowBytes, nHeads, false);
    }

    private static float[] permute(float[] w, int rows, int cols, int nHeads, boolean toInterleaved) {
        if ((long) rows * cols != w.length) {
            throw new IllegalArgumentException(rows + " x " + cols + " does not match " + w.length + " weights");
        }
        float[] out = new float[w.length];
        for (int row = 0; row < rows; row++) {
            int src = sourceRow(row, rows, nHeads, toInterleaved);
            System.arraycopy(w, src * cols, out, row * cols, cols);
        }
        return out;
    }

    private static MemorySegment permute(MemorySegment w, int rows, long rowBytes, int nHeads, boolean toInterleaved) {
        if (rows * rowBytes != w.byteSize()) {
            throw new IllegalArgumentException(rows + " rows of " + rowBytes + " bytes do not match " + w.byteSize() + " bytes");
        }
        // native, not heap: kernels load from one segment class (MappedFiles)
        MemorySegment out = Arena.ofAuto().allocate(w.byteSize(), 64);
        for (int row = 0; row < rows; row++) {
            int src = sourceRow(row, rows, nHeads, toInterleaved);
            MemorySegment.copy(w, src * rowBytes, out, row * rowBytes, rowBytes);
        }
        return out;
    }

    private static int sourceRow(int row, int rows, int nHeads, boolean toInterleaved) {
        return toInterleaved ? hfRowForInterleaved(row, rows, nHeads) : interleavedRowForHf(row, rows, nHeads);
    }

    private static int headSize(int rows, int nHeads) {
        if (nHeads <= 0 || rows % nHeads != 0 || (rows / nHeads) % 2 != 0) {
            throw new IllegalArgumentException(rows + " rows do not split into " + nHeads + " heads of even size");
        }
        return rows / nHeads;
    }
}
