package org.llama3j.format.safetensors;

import java.util.Arrays;
import org.llama3j.tensor.DType;

/**
 * A header entry: name, type, shape as written (HF/PyTorch order, outermost first) and the byte
 * range {@code [begin, end)} relative to the start of the data section.
 */
public record SafetensorsTensorInfo(String name, DType type, long[] hfShape, long begin, long end) {

    public SafetensorsTensorInfo {
        hfShape = hfShape.clone();
    }

    @Override
    public long[] hfShape() {
        return hfShape.clone();
    }

    /** The shape in ggml order ({@code shape[0]} innermost): the reverse of {@link #hfShape()}; a scalar is {@code [1]}. */
    public long[] ggmlShape() {
        if (hfShape.length == 0) {
            return new long[] {1};
        }
        long[] g = new long[hfShape.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = hfShape[hfShape.length - 1 - i];
        }
        return g;
    }

    public long byteSize() {
        return end - begin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafetensorsTensorInfo t && t.name.equals(name) && t.type == type
                && Arrays.equals(t.hfShape, hfShape) && t.begin == begin && t.end == end;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(hfShape) + " [" + begin + ", " + end + ")";
    }
}
