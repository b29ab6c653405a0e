package org.llama3j.data.mix;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;

/** Keys chosen by a sampler; everything else in a mixed category is removed as {@code not_sampled}. */
public record MixDecision(Set<Long> selected) implements Serializable {

    public MixDecision {
        selected = new HashSet<>(selected);
    }
}
