package org.llama3j.train.model;

/** Offsets of one transformer block's tensors in the flat parameter (and gradient) array. */
public record LayerOffsets(int attnNorm, int wq, int wk, int wv, int wo,
                           int ffnNorm, int w1Gate, int w3Up, int w2Down) {
}
