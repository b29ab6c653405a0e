package org.llama3j.data.dedup;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.llama3j.data.Document;
import org.llama3j.data.step.Verdict;

/**
 * The decision of a dedup-style global step: the keys of the documents to remove, each with a detail
 * (e.g. the id of the kept copy). Applying it is a join on the key.
 */
public record KeyRemovals(String reason, Map<Long, String> removed) implements Serializable {

    public KeyRemovals {
        removed = new HashMap<>(removed);
    }

    public Verdict apply(long key, Document doc) {
        String detail = removed.get(key);
        if (detail == null && !removed.containsKey(key)) {
            return Verdict.keep(doc);
        }
        return Verdict.remove(reason, detail);
    }

    public int size() {
        return removed.size();
    }
}
