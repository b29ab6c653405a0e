package org.llama3j.cli;

import picocli.CommandLine.Option;

/** The fields of a labelled JSONL file, shared by {@code data label} (writes it) and {@code data train-classifier} (reads it). */
final class LabelledJsonlOptions {
    @Option(names = "--text-key", defaultValue = "text", description = "text field (default: ${DEFAULT-VALUE})")
    String textKey;

    @Option(names = "--label-key", defaultValue = "label", description = "label field (default: ${DEFAULT-VALUE})")
    String labelKey;

    @Option(names = "--positive", defaultValue = "positive", description = "label value of the wanted class (default: ${DEFAULT-VALUE})")
    String positive;
}
