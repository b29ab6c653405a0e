package org.llama3j.safety.eval;

/** The model under evaluation, behind the two ways the benchmarks prompt it. */
public interface EvalModel {
    /** Answers one user turn (chat format), after an optional system message (null for none). */
    String chat(String system, String user);

    /** Continues raw text (no chat template): the autocomplete benchmark. */
    String complete(String prefix);
}
