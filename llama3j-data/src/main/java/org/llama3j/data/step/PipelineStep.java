package org.llama3j.data.step;

import java.io.Serializable;

/**
 * One step of a data pipeline. Steps hold only a config record and immutable derived state, so the same
 * step objects can be shipped to any executor (embedded threads today, Spark later); they never know which
 * executor runs them.
 * <ul>
 *   <li>{@link DocumentStep}: pure per-document logic (filters, rewriters);</li>
 *   <li>{@link GlobalStep}: needs the whole corpus (dedup, mixing, corpus statistics), split into a
 *       per-document signature phase, a global decide phase and a per-document apply phase, so a
 *       distributed executor can run it as map / reduce / broadcast-join.</li>
 * </ul>
 */
public sealed interface PipelineStep extends Serializable permits DocumentStep, GlobalStep {

    /** Name used in stats and removal records (the YAML {@code type}, unless configured otherwise). */
    String name();
}
