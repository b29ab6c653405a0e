package org.llama3j.data.step;

import org.llama3j.data.Document;

/** A step's decision on one document: keep it (possibly rewritten) or remove it with a reason. */
public sealed interface Verdict {

    record Keep(Document document) implements Verdict {
    }

    /** {@code reason} is a short countable label; {@code detail} is optional free text for the removal log. */
    record Remove(String reason, String detail) implements Verdict {
    }

    static Verdict keep(Document doc) {
        return new Keep(doc);
    }

    static Verdict remove(String reason) {
        return new Remove(reason, null);
    }

    static Verdict remove(String reason, String detail) {
        return new Remove(reason, detail);
    }
}
