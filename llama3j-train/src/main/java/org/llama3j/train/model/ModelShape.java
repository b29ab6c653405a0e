package org.llama3j.train.model;

import java.util.Optional;
import org.llama3j.train.layers.RopeScaling;

/**
 * The sizes of a Llama 3 model being trained. Field meanings follow Meta's {@code ModelArgs}
 * ({@code llama/model.py}): {@code ffnDim} is the hidden size of the SwiGLU block after Meta's
 * multiple-of rounding, {@code normEps} the RMSNorm epsilon (1e-5 in Llama 3), {@code ropeTheta}
 * the RoPE base (500000 in Llama 3, {@code params.json} {@code rope_theta}).
 */
public record ModelShape(int dim, int nLayers, int nHeads, int nKvHeads, int ffnDim, int vocabSize,
                         float normEps, double ropeTheta, Optional<RopeScaling> ropeScaling,
                         boolean tiedEmbeddings, int maxSeqLen) {

    public ModelShape {
        positive("dim", dim);
        positive("nLayers", nLayers);
        positive("nHeads", nHeads);
        positive("nKvHeads", nKvHeads);
        positive("ffnDim", ffnDim);
        positive("vocabSize", vocabSize);
        positive("maxSeqLen", maxSeqLen);
        if (dim % nHeads != 0) {
            throw new InvalidModelShapeException("dim " + dim + " is not a multiple of nHeads " + nHeads);
        }
        if (nHeads % nKvHeads != 0) {
            throw new InvalidModelShapeException("nHeads " + nHeads + " is not a multiple of nKvHeads " + nKvHeads);
        }
        if ((dim / nHeads) % 2 != 0) {
            throw new InvalidModelShapeException("head_dim " + dim / nHeads + " must be even for RoPE pairs");
        }
        if (!(normEps > 0f)) {
            throw new InvalidModelShapeException("normEps must be > 0, got " + normEps);
        }
        if (!(ropeTheta > 1.0)) {
            throw new InvalidModelShapeException("ropeTheta must be > 1, got " + ropeTheta);
        }
        if (ropeScaling == null) {
            throw new InvalidModelShapeException("ropeScaling must be Optional.empty(), not null");
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new InvalidModelShapeException(field + " must be > 0, got " + value);
        }
    }

    public int headDim() {
        return dim / nHeads;
    }

    /** Width of the concatenated key (or value) heads. */
    public int kvDim() {
        return nKvHeads * headDim();
    }
}
