package org.llama3j.train.model;

import java.util.Arrays;

/**
 * One named tensor inside the flat parameter array: {@code shape} is row-major (PyTorch order,
 * e.g. {@code [out, in]} for a matrix; GGUF lists the same dims reversed as ne0, ne1).
 */
public record ParameterView(String name, int offset, int[] shape) {

    public ParameterView {
        shape = shape.clone();
    }

    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** True for 2-D tensors (projection matrices and embeddings), false for norm weights. */
    public boolean isMatrix() {
        return shape.length >= 2;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterView p && p.name.equals(name) && p.offset == offset
                && Arrays.equals(p.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + offset;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + "@" + offset;
    }
}
