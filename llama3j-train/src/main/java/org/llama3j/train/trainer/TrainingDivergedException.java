package org.llama3j.train.trainer;

/** Training kept faulting (NaN/Inf or loss spikes) after the allowed number of rollbacks. */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
