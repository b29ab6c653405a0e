package org.llama3j.train.model;

import org.llama3j.model.lora.Projection;

/**
 * Extra computation on the seven linear projections of every block, added to the base product
 * {@code y = x·Wᵀ}: LoRA's low-rank side path is one. {@link LlamaTrainingModel} calls
 * {@link #forward} right after each projection and {@link #backward} right after the base
 * projection's own backward, with that projection's input {@code x} of the same pass.
 */
public interface ProjectionHook {

    /** No extra computation. */
    ProjectionHook NONE = new ProjectionHook() {
        @Override
        public void forward(int layer, Projection p, float[] x, float[] y, int rows) {
        }

        @Override
        public void backward(int layer, Projection p, float[] x, float[] dy, float[] dx, int rows) {
        }
    };

    /** Adds to {@code y} ({@code [rows][out]}) given the projection's input {@code x} ({@code [rows][in]}). */
    void forward(int layer, Projection p, float[] x, float[] y, int rows);

    /** Adds the hook's share of dL/dx to {@code dx} and accumulates the hook's own parameter gradients. */
    void backward(int layer, Projection p, float[] x, float[] dy, float[] dx, int rows);
}
