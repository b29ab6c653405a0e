package org.llama3j.train.layers;

/**
 * Rotary position embedding in the interleaved-pair convention of Meta's reference
 * {@code model.py} ({@code torch.view_as_complex(x.reshape(..., -1, 2))}) and of GGUF Llama
 * weights: elements (2i, 2i+1) of each head form one complex number, multiplied by
 * {@code e^{i·pos·freq_i}}. The backward pass is the transpose of a rotation, i.e. the rotation
 * by the negative angle.
 *
 * <p>Layout: {@code x} is {@code [rows][heads][headDim]}; {@code positions[r]} is the position of
 * row r.
 */
public final class Rope {

    private Rope() {
    }

    /** Rotates x in place by +angle. */
    public static void forward(WorkerPool pool, RopeTable table, float[] x, int[] positions, int heads) {
        rotate(pool, table, x, positions, heads, 1f);
    }

    /** Turns dL/d(rotated x) into dL/dx in place: rotation by −angle. */
    public static void backward(WorkerPool pool, RopeTable table, float[] dx, int[] positions, int heads) {
        rotate(pool, table, dx, positions, heads, -1f);
    }

    private static void rotate(WorkerPool pool, RopeTable table, float[] x, int[] positions,
                               int heads, float sign) {
        int hd = table.headDim();
        int half = hd / 2;
        int rowLen = heads * hd;
        pool.forRange(positions.length, 16, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int pos = positions[r];
                if (pos < 0 || pos >= table.maxPositions()) {
                    throw new IllegalArgumentException("RoPE position " + pos + " at row " + r
                            + " outside [0, " + table.maxPositions() + ")");
                }
                for (int h = 0; h < heads; h++) {
                    int base = r * rowLen + h * hd;
                    for (int i = 0; i < half; i++) {
                        float c = table.cos(pos, i);
                        float s = sign * table.sin(pos, i);
                        float a = x[base + 2 * i];
                        float b = x[base + 2 * i + 1];
                        x[base + 2 * i] = a * c - b * s;
                        x[base + 2 * i + 1] = a * s + b * c;
                    }
                }
            }
        });
    }
}
