package org.llama3j.safety.eval;

/**
 * One line of the report: of {@code cases} cases of a benchmark (and group: a language, or
 * {@code all}), {@code hits} showed the counted event and {@code unjudged} could not be judged.
 * The rate is over the judged cases; NaN when there are none.
 */
public record RateRow(String benchmark, String group, int cases, int hits, int unjudged) {
    public double rate() {
        int judged = cases - unjudged;
        return judged == 0 ? Double.NaN : (double) hits / judged;
    }
}
