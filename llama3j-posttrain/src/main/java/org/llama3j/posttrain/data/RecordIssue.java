package org.llama3j.posttrain.data;

/** One malformed record: where it is (source and 1-based line) and what is wrong with it. */
public record RecordIssue(String source, int line, String problem) {
    @Override
    public String toString() {
        return source + ":" + line + ": " + problem;
    }
}
