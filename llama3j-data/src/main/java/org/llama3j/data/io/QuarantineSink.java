package org.llama3j.data.io;

/** Receives records the reader could not turn into documents. */
@FunctionalInterface
public interface QuarantineSink {
    void accept(QuarantineRecord record);
}
