package org.llama3j.data.spark;

import java.io.Serializable;
import java.util.List;
import org.llama3j.data.Document;
import org.llama3j.data.step.StepStats;

/** What a stage's partition emits: its kept documents in input order, then one record of its step counts. */
sealed interface StageRecord extends Serializable {

    record Kept(Document doc) implements StageRecord {
    }

    record Counts(List<StepStats> stats) implements StageRecord {
    }
}
