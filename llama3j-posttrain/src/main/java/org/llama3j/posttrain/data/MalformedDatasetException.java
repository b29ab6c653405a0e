package org.llama3j.posttrain.data;

import java.util.List;
import java.util.stream.Collectors;

/** A dataset with malformed records under {@link BadRecordPolicy#REJECT}; the message lists them all. */
public final class MalformedDatasetException extends RuntimeException {
    private final List<RecordIssue> issues;

    public MalformedDatasetException(List<RecordIssue> issues) {
        super(issues.size() + " malformed record(s) (bad-record policy: reject):\n  "
                + issues.stream().map(RecordIssue::toString).collect(Collectors.joining("\n  ")));
        this.issues = List.copyOf(issues);
    }

    public List<RecordIssue> issues() {
        return issues;
    }
}
