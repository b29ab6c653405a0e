package org.llama3j.data.step;

import java.io.Serializable;
import java.util.stream.Stream;
import org.llama3j.data.Document;

/**
 * A step whose decision on a document depends on the whole corpus. Executors run it in three phases:
 * <ol>
 *   <li>{@link #signature}: per document, pure (a map);</li>
 *   <li>{@link #decide}: over all signatures in key order (a reduce); the result must be deterministic
 *       for the same signatures, so an interrupted run can recompute it;</li>
 *   <li>{@link #apply}: per document with the decision (a broadcast join on the key).</li>
 * </ol>
 *
 * @param <S> per-document signature (e.g. a content hash, MinHash bands)
 * @param <D> the decision (e.g. the set of keys to remove)
 */
public non-sealed interface GlobalStep<S, D extends Serializable> extends PipelineStep {

    /** The document's signature; null when the document takes no part (e.g. no URL for URL dedup). */
    S signature(Document doc);

    /** Consumes the signatures of all documents, in ascending key order, and decides. */
    D decide(Stream<Keyed<S>> signatures);

    Verdict apply(long key, Document doc, D decision);
}
