package org.llama3j.data.step;

import java.util.stream.Stream;
import org.llama3j.data.Document;

/** A step that decides on each document alone (filters, per-document rewriters). */
public non-sealed interface DocumentStep extends PipelineStep {

    Verdict process(Document doc);

    /** The step as a function of streams: every input document is either passed on or recorded as removed. */
    default Stream<Document> apply(Stream<Document> in, StepLedger ledger) {
        return in.<Document>mapMulti((doc, sink) -> {
            Document out = ledger.record(doc, process(doc));
            if (out != null) {
                sink.accept(out);
            }
        });
    }
}
