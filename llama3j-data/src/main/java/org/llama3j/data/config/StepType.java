package org.llama3j.data.config;

import java.nio.file.Path;
import java.util.function.BiFunction;
import org.llama3j.data.step.PipelineStep;

/**
 * A step type as named in YAML: its config record class, the published defaults, and how to build the step
 * (given the config and the YAML file's directory, for resolving relative paths).
 */
public record StepType<C extends Record>(String type, Class<C> configClass, C defaults,
                                         BiFunction<C, Path, PipelineStep> factory) {

    PipelineStep create(Object config, Path baseDir) {
        return factory.apply(configClass.cast(config), baseDir);
    }
}
