package org.llama3j.data.spark;

import java.io.Serializable;
import org.llama3j.data.Document;
import org.llama3j.data.step.Verdict;

/** A global step bound to (its slice of) the decision, applied to one document of one task. */
@FunctionalInterface
interface TaskDecision extends Serializable {

    Verdict apply(long key, Document doc);
}
