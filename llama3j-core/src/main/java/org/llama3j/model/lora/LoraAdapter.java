package org.llama3j.model.lora;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole LoRA adapter: its {@link LoraConfig} and the {@link LoraMatrices} of every adapted
 * (layer, projection). Shapes are checked against the base's sizes on construction, so an
 * adapter built for another model fails here with the offending tensor named.
 */
public final class LoraAdapter {

    /** Key of one adapted projection. */
    public record Site(int layer, Projection projection) {
        @Override
        public String toString() {
            return "layer " + layer + " " + projection.path();
        }
    }

    private final LoraConfig config;
    private final LoraBase base;
    private final Map<Site, LoraMatrices> matrices;

    public LoraAdapter(LoraConfig config, LoraBase base, Map<Site, LoraMatrices> matrices) {
        this.config = config;
        this.base = base;
        for (int l = 0; l < base.layers(); l++) {
            for (Projection p : config.orderedTargets()) {
                Site s = new Site(l, p);
                LoraMatrices m = matrices.get(s);
                if (m == null) {
                    throw new LoraFormatException("adapter has no " + p.module() + " matrices for layer " + l
                            + " although target_modules lists " + p.module());
                }
                if (m.rank() != config.rank() || m.in() != p.in(base) || m.out() != p.out(base)) {
                    throw new LoraFormatException(s + ": LoRA A is [" + m.rank() + ", " + m.in() + "] and B is ["
                            + m.out() + ", " + m.rank() + "], but the base model needs A [" + config.rank() + ", "
                            + p.in(base) + "] and B [" + p.out(base) + ", " + config.rank() + "]");
                }
            }
        }
        for (Site s : matrices.keySet()) {
            if (s.layer() < 0 || s.layer() >= base.layers() || !config.targets().contains(s.projection())) {
                throw new LoraFormatException("adapter has matrices for " + s + ", which is not a target of this"
                        + " adapter on a base of " + base.layers() + " layers");
            }
        }
        this.matrices = Collections.unmodifiableMap(new LinkedHashMap<>(matrices));
    }

    public LoraConfig config() {
        return config;
    }

    public LoraBase base() {
        return base;
    }

    /** The matrices of one site, or null when that projection is not adapted. */
    public LoraMatrices get(int layer, Projection p) {
        return matrices.get(new Site(layer, p));
    }

    public Map<Site, LoraMatrices> matrices() {
        return matrices;
    }

    /** Number of adapter parameters (A and B of every site). */
    public long parameterCount() {
        long n = 0;
        for (LoraMatrices m : matrices.values()) {
            n += m.a().length + (long) m.b().length;
        }
        return n;
    }

    /** Throws unless this adapter was made for a base of exactly these sizes. */
    public void requireBase(LoraBase actual) {
        if (!base.equals(actual)) {
            throw new LoraFormatException("the adapter was made for a base with " + base + " but the model has " + actual);
        }
    }
}
