package org.llama3j.data.exec;

import java.util.ArrayList;
import java.util.List;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.GlobalStep;
import org.llama3j.data.step.PipelineStep;

/**
 * A run of steps that can execute task by task without seeing other tasks: an optional leading global step
 * (applied with its decision, computed over the previous stage's complete output) followed by document steps.
 * A pipeline {@code [f1, f2, dedup, f3]} becomes stages {@code [f1, f2]} and {@code [dedup, f3]}.
 * Public so other executors (Spark) cut pipelines the same way.
 */
public record Stage(int index, GlobalStep<?, ?> head, String headLabel, List<DocumentStep> locals, List<String> localLabels) {

    public static List<Stage> plan(List<PipelineStep> steps, List<String> labels) {
        List<Stage> stages = new ArrayList<>();
        GlobalStep<?, ?> head = null;
        String headLabel = null;
        List<DocumentStep> locals = new ArrayList<>();
        List<String> localLabels = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            switch (steps.get(i)) {
                case DocumentStep d -> {
                    locals.add(d);
                    localLabels.add(labels.get(i));
                }
                case GlobalStep<?, ?> g -> {
                    stages.add(new Stage(stages.size(), head, headLabel, locals, localLabels));
                    head = g;
                    headLabel = labels.get(i);
                    locals = new ArrayList<>();
                    localLabels = new ArrayList<>();
                }
            }
        }
        stages.add(new Stage(stages.size(), head, headLabel, locals, localLabels));
        return stages;
    }
}
