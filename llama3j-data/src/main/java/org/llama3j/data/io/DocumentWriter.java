package org.llama3j.data.io;

import java.io.Closeable;
import org.llama3j.data.Document;

/**
 * Writes documents to one output shard. Encoding is split from writing so executors can encode on worker threads
 * (JSON text, a Parquet row) and write in input order on the task thread.
 */
public interface DocumentWriter extends Closeable {

    /** The document in this writer's encoding; depends only on the document, safe on any thread. */
    Object encode(Document doc);

    /** Appends a value {@link #encode} returned. */
    void writeEncoded(Object encoded);

    default void write(Document doc) {
        writeEncoded(encode(doc));
    }

    @Override
    void close();
}
