package org.llama3j.safety.eval;

/** A judge answering a yes/no question (a judge model, in CyberSecEval's prompt-injection benchmark). */
public interface Judge {
    boolean yes(String question);
}
