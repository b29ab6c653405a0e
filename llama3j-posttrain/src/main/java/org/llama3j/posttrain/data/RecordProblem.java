package org.llama3j.posttrain.data;

/** Thrown while parsing one record; becomes a {@link RecordIssue} with the record's line. */
final class RecordProblem extends RuntimeException {
    RecordProblem(String message) {
        super(message);
    }
}
