package org.llama3j.safety.guard;

/** A Llama Guard model behind one call; implemented where a model is loaded. */
public interface GuardClassifier {
    /** Scores the last message of the conversation. */
    GuardScore score(Conversation conversation);

    /** Generates and parses the full verdict for the last message of the conversation. */
    GuardVerdict classify(Conversation conversation);
}
