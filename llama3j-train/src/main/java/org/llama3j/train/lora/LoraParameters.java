package org.llama3j.train.lora;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.llama3j.model.lora.LoraAdapter;
import org.llama3j.model.lora.LoraBase;
import org.llama3j.model.lora.LoraConfig;
import org.llama3j.model.lora.LoraMatrices;
import org.llama3j.model.lora.Projection;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.model.ParameterView;
import org.llama3j.train.model.TrainableParameters;

/**
 * The trainable weights of a LoRA adapter: for every adapted (layer, projection) an A matrix
 * {@code [rank][in]} and a B matrix {@code [out][rank]}, row-major in one flat FP32 array with a
 * gradient array of the same layout, named {@code blk.N.attn_q.lora_a} / {@code .lora_b}. B's rows
 * follow the base weight's rows (GGUF's interleaved RoPE order for q and k).
 */
public final class LoraParameters implements TrainableParameters {

    /** Offsets of one site's matrices. */
    record Site(int index, int layer, Projection projection, int in, int out, int aOffset, int bOffset) {
    }

    private final LoraConfig config;
    private final LoraBase base;
    private final List<ParameterView> views;
    private final Map<Integer, Site> sites = new HashMap<>();
    private final List<Site> ordered = new ArrayList<>();
    private final float[] values;
    private final float[] grads;

    public LoraParameters(ModelShape shape, LoraConfig config) {
        this.config = config;
        this.base = baseOf(shape);
        List<ParameterView> v = new ArrayList<>();
        int cursor = 0;
        int r = config.rank();
        for (int l = 0; l < shape.nLayers(); l++) {
            for (Projection p : config.orderedTargets()) {
                int in = p.in(base);
                int out = p.out(base);
                String stem = "blk." + l + "." + p.ggufStem();
                v.add(new ParameterView(stem + ".lora_a", cursor, new int[] {r, in}));
                v.add(new ParameterView(stem + ".lora_b", cursor + r * in, new int[] {out, r}));
                Site site = new Site(ordered.size(), l, p, in, out, cursor, cursor + r * in);
                sites.put(key(l, p), site);
                ordered.add(site);
                cursor = Math.addExact(cursor, r * (in + out));
            }
        }
        this.views = Collections.unmodifiableList(v);
        this.values = new float[cursor];
        this.grads = new float[cursor];
    }

    /** The sizes core's adapter format checks against, from the training shape. */
    public static LoraBase baseOf(ModelShape s) {
        return new LoraBase(s.nLayers(), s.dim(), s.nHeads(), s.nKvHeads(), s.headDim(), s.ffnDim());
    }

    /**
     * PEFT's initialisation ({@code LoraLayer.reset_lora_parameters} with {@code init_lora_weights=True}):
     * A by {@code nn.init.kaiming_uniform_(A, a=math.sqrt(5))}, which is U(−b, b) with
     * b = gain·√(3/fan_in), gain = √(2/(1+a²)) = √(1/3), so b = 1/√in; B = 0, so the adapted model
     * starts equal to the base (Hu et al. 2021, §4.1).
     */
    public void initialize(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (Site s : orderedSites()) {
            double bound = 1.0 / Math.sqrt(s.in());
            for (int i = s.aOffset(); i < s.aOffset() + config.rank() * s.in(); i++) {
                values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            Arrays.fill(values, s.bOffset(), s.bOffset() + s.out() * config.rank(), 0f);
        }
    }

    public LoraConfig config() {
        return config;
    }

    @Override
    public float[] values() {
        return values;
    }

    @Override
    public float[] grads() {
        return grads;
    }

    @Override
    public List<ParameterView> views() {
        return views;
    }

    /** The site of one projection, or null when it is not adapted. */
    Site site(int layer, Projection p) {
        return sites.get(key(layer, p));
    }

    /** Sites in storage order (layer, then q, k, v, o, gate, up, down). */
    List<Site> orderedSites() {
        return Collections.unmodifiableList(ordered);
    }

    /** A copy of the weights as core's adapter (for saving in the PEFT layout, inference and merging). */
    public LoraAdapter toAdapter() {
        Map<LoraAdapter.Site, LoraMatrices> m = new HashMap<>();
        int r = config.rank();
        for (Site s : orderedSites()) {
            float[] a = Arrays.copyOfRange(values, s.aOffset(), s.aOffset() + r * s.in());
            float[] b = Arrays.copyOfRange(values, s.bOffset(), s.bOffset() + s.out() * r);
            m.put(new LoraAdapter.Site(s.layer(), s.projection()), new LoraMatrices(r, s.in(), s.out(), a, b));
        }
        return new LoraAdapter(config, base, m);
    }

    /** Loads the weights of {@code adapter}, which must have this config and base. */
    public void load(LoraAdapter adapter) {
        adapter.requireBase(base);
        if (!adapter.config().equals(config)) {
            throw new IllegalArgumentException("adapter config " + adapter.config() + " differs from " + config);
        }
        for (Site s : orderedSites()) {
            LoraMatrices m = adapter.get(s.layer(), s.projection());
            System.arraycopy(m.a(), 0, values, s.aOffset(), m.a().length);
            System.arraycopy(m.b(), 0, values, s.bOffset(), m.b().length);
        }
    }

    private static int key(int layer, Projection p) {
        return layer * Projection.values().length + p.ordinal();
    }
}
