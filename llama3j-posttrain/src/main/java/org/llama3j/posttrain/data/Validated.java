package org.llama3j.posttrain.data;

import java.util.List;
import java.util.function.Consumer;

/**
 * Records that passed validation and the issues of those that did not. {@link #apply} enforces the
 * bad-record policy, so a caller can never train on a dataset without having decided about its issues.
 */
public record Validated<T>(List<T> records, List<RecordIssue> issues) {

    public Validated {
        records = List.copyOf(records);
        issues = List.copyOf(issues);
    }

    /**
     * REJECT with issues ⇒ {@link MalformedDatasetException}; SKIP ⇒ each issue goes to
     * {@code report} and the valid records are returned. Fails too when nothing valid is left.
     */
    public List<T> apply(BadRecordPolicy policy, Consumer<String> report) {
        if (!issues.isEmpty() && policy == BadRecordPolicy.REJECT) {
            throw new MalformedDatasetException(issues);
        }
        for (RecordIssue issue : issues) {
            report.accept("skipped " + issue);
        }
        if (records.isEmpty()) {
            throw new MalformedDatasetException(issues.isEmpty()
                    ? List.of(new RecordIssue("dataset", 0, "no records")) : issues);
        }
        return records;
    }
}
