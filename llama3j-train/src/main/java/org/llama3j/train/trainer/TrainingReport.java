package org.llama3j.train.trainer;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@link Trainer#run}: steps reached, per-step training losses of this session,
 * validation losses, faults handled (rollbacks) and checkpoint writes that failed.
 */
public record TrainingReport(long finalStep, List<LossCurvePlot.Point> trainLoss, List<LossCurvePlot.Point> valLoss,
                             int rollbacks, int failedCheckpoints, Path lastCheckpoint) {
}
