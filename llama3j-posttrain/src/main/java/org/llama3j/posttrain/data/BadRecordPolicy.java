package org.llama3j.posttrain.data;

/** What to do with malformed records: report and drop them, or report them and refuse the dataset. */
public enum BadRecordPolicy {
    /** Report each bad record (file and line) and train on the others. */
    SKIP,
    /** Report every bad record and fail before any training. */
    REJECT;

    public static BadRecordPolicy parse(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "skip" -> SKIP;
            case "reject" -> REJECT;
            default -> throw new IllegalArgumentException("bad-record policy must be skip or reject, got '" + text + "'");
        };
    }
}
