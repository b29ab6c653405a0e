package org.llama3j.eval.harness;

import java.util.List;

/** A task: its name (the file name without {@code .jsonl}), type, scored items and few-shot pool. */
public record Task(String name, String type, List<TaskItem> items, List<TaskItem> fewshotPool) {
}
