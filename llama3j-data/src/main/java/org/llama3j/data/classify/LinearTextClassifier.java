package org.llama3j.data.classify;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.llama3j.data.DataPipelineException;

/**
 * Binary logistic regression over averaged hashed n-gram features: {@code p = sigmoid(b + mean_f w[f])}. This is
 * the linear fastText classifier with one-dimensional embeddings, the kind Llama 3 (section 3.1.1) uses to score
 * "would this be referenced by Wikipedia"-style quality. Trained with plain SGD on log loss.
 * <p>File format (big-endian): magic {@code "L3JQ"}, version 1, buckets, maxNgram, bias (float), then
 * {@code buckets} floats.
 */
public final class LinearTextClassifier implements Serializable {

    private static final int MAGIC = 0x4c334a51; // "L3JQ"
    private static final int VERSION = 1;

    /** One training example. */
    public record Example(String text, boolean positive) {
    }

    /** SGD settings; {@code l2} is applied lazily only to touched weights. */
    public record TrainConfig(int buckets, int maxNgram, int epochs, double learningRate, double l2, long seed) {
        public static final TrainConfig DEFAULTS = new TrainConfig(1 << 20, 2, 5, 0.5, 1e-6, 1);
    }

    private final HashedNgramFeatures features;
    private final float[] weights;
    private float bias;

    private LinearTextClassifier(HashedNgramFeatures features, float[] weights, float bias) {
        this.features = features;
        this.weights = weights;
        this.bias = bias;
    }

    /** Probability that the text belongs to the positive class. */
    public double score(String text) {
        return sigmoid(logit(features.of(text)));
    }

    private double logit(int[] f) {
        if (f.length == 0) {
            return bias;
        }
        double s = 0;
        for (int b : f) {
            s += weights[b];
        }
        return bias + s / f.length;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    public static LinearTextClassifier train(List<Example> examples, TrainConfig cfg) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        HashedNgramFeatures fx = new HashedNgramFeatures(cfg.buckets(), cfg.maxNgram());
        LinearTextClassifier m = new LinearTextClassifier(fx, new float[cfg.buckets()], 0);
        List<int[]> feats = new ArrayList<>(examples.size());
        examples.forEach(e -> feats.add(fx.of(e.text())));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            order.add(i);
        }
        Random r = new Random(cfg.seed());
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
            Collections.shuffle(order, r);
            double lr = cfg.learningRate() * (1 - (double) epoch / cfg.epochs()); // linear decay, as fastText
            for (int i : order) {
                int[] f = feats.get(i);
                double g = sigmoid(m.logit(f)) - (examples.get(i).positive() ? 1 : 0);
                m.bias -= (float) (lr * g);
                if (f.length > 0) {
                    // the exact gradient is g / n per feature; stepping by g instead (a diagonal preconditioner)
                    // moves the logit by about lr * g whatever the document length, so one learning rate fits all
                    double step = lr * g;
                    for (int b : f) {
                        m.weights[b] -= (float) (step + lr * cfg.l2() * m.weights[b]);
                    }
                }
            }
        }
        return m;
    }

    public void save(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(features.buckets());
            out.writeInt(features.maxNgram());
            out.writeFloat(bias);
            for (float w : weights) {
                out.writeFloat(w);
            }
        }
    }

    public static LinearTextClassifier load(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new DataPipelineException(file + " is not a llama3j quality model (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new DataPipelineException(file + ": unsupported model version " + version);
            }
            int buckets = in.readInt();
            int maxNgram = in.readInt();
            if (buckets < 1 || buckets > (1 << 28) || maxNgram < 1 || maxNgram > 3) {
                throw new DataPipelineException(file + ": bad header (buckets " + buckets + ", maxNgram " + maxNgram + ")");
            }
            float bias = in.readFloat();
            float[] w = new float[buckets];
            for (int i = 0; i < buckets; i++) {
                w[i] = in.readFloat();
            }
            if (in.read() != -1) {
                throw new DataPipelineException(file + ": trailing bytes after " + buckets + " weights");
            }
            return new LinearTextClassifier(new HashedNgramFeatures(buckets, maxNgram), w, bias);
        } catch (EOFException e) {
            throw new DataPipelineException(file + ": truncated model file", e);
        } catch (IOException e) {
            throw new DataPipelineException("cannot read model " + file + ": " + e.getMessage(), e);
        }
    }
}
