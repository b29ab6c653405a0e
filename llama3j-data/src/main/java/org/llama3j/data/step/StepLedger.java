package org.llama3j.data.step;

import org.llama3j.data.Document;

/** Where a step's executor records outcomes: counts for the stats and one record per removal. */
public interface StepLedger {

    void input();

    void kept();

    /** Records a removal; {@code documentId} names the document (or the file:line of an unparseable record). */
    void removed(String documentId, String reason, String detail);

    /** Applies a verdict's accounting and returns the kept document, or null when removed. */
    default Document record(Document in, Verdict verdict) {
        input();
        return switch (verdict) {
            case Verdict.Keep k -> {
                kept();
                yield k.document();
            }
            case Verdict.Remove r -> {
                removed(in.id(), r.reason(), r.detail());
                yield null;
            }
        };
    }
}
