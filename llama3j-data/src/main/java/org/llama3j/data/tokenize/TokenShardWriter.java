package org.llama3j.data.tokenize;

import java.io.Closeable;
import org.llama3j.data.Document;

/**
 * Sink for tokenized documents at the end of a pipeline. The shard format is defined by the pretraining module
 * (llama3j-train); an implementation there adapts this interface, so the data module does not depend on train.
 * Implementations must write shards atomically (temp + rename) so the executor's restart logic holds.
 */
public interface TokenShardWriter extends Closeable {

    /** Appends one document's token ids (the document is passed for its id/metadata, e.g. for provenance). */
    void write(Document doc, int[] tokens);

    /** Finishes the current shard(s); no further writes follow. */
    @Override
    void close();
}
