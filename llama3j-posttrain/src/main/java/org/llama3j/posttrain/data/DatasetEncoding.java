package org.llama3j.posttrain.data;

import java.util.ArrayList;
import java.util.List;

/** Encodes validated records and turns those longer than the context into issues (with their lines). */
public final class DatasetEncoding {

    private DatasetEncoding() {
    }

    /** SFT dialogs of at most {@code maxTokens} tokens; longer ones become issues. */
    public static Validated<EncodedDialog> sft(Validated<ChatExample> records, ChatEncoder encoder,
                                               int maxTokens, String source) {
        List<EncodedDialog> out = new ArrayList<>();
        List<RecordIssue> issues = new ArrayList<>(records.issues());
        for (ChatExample e : records.records()) {
            EncodedDialog d = e.text().isPresent() ? encoder.encodeText(e.text().get(), e.line())
                    : encoder.encodeDialog(e.messages(), e.line());
            if (d.length() > maxTokens) {
                issues.add(tooLong(source, e.line(), d.length(), maxTokens));
            } else {
                out.add(d);
            }
        }
        issues.sort(java.util.Comparator.comparingInt(RecordIssue::line));
        return new Validated<>(out, issues);
    }

    /** Preference pairs whose longer side fits in {@code maxTokens}. */
    public static Validated<EncodedPair> pairs(Validated<PreferenceExample> records, ChatEncoder encoder,
                                               int maxTokens, String source) {
        List<EncodedPair> out = new ArrayList<>();
        List<RecordIssue> issues = new ArrayList<>(records.issues());
        for (PreferenceExample e : records.records()) {
            EncodedDialog chosen = encoder.encodeReply(e.prompt(), e.chosen(), e.line());
            EncodedDialog rejected = encoder.encodeReply(e.prompt(), e.rejected(), e.line());
            int longest = Math.max(chosen.length(), rejected.length());
            if (longest > maxTokens) {
                issues.add(tooLong(source, e.line(), longest, maxTokens));
            } else {
                out.add(new EncodedPair(chosen, rejected));
            }
        }
        issues.sort(java.util.Comparator.comparingInt(RecordIssue::line));
        return new Validated<>(out, issues);
    }

    /** Prompts that leave at least one token of room for the reply within {@code maxTokens}. */
    public static Validated<PromptExample> prompts(Validated<PromptExample> records, ChatEncoder encoder,
                                                   int maxTokens, String source) {
        List<PromptExample> out = new ArrayList<>();
        List<RecordIssue> issues = new ArrayList<>(records.issues());
        for (PromptExample e : records.records()) {
            int n = encoder.encodePrompt(e.prompt()).length;
            if (n >= maxTokens) {
                issues.add(tooLong(source, e.line(), n, maxTokens));
            } else {
                out.add(e);
            }
        }
        issues.sort(java.util.Comparator.comparingInt(RecordIssue::line));
        return new Validated<>(out, issues);
    }

    private static RecordIssue tooLong(String source, int line, int tokens, int max) {
        return new RecordIssue(source, line, "sequence of " + tokens + " tokens is longer than the context ("
                + max + ")");
    }
}
