package org.llama3j.data.config;

import java.nio.file.Path;
import java.util.List;
import org.llama3j.data.exec.ExecutorConfig;
import org.llama3j.data.exec.Pipeline;

/** A parsed pipeline file: the inputs (expanded and sorted), the pipeline, and the executor settings. */
public record PipelineSpec(List<Path> inputs, Pipeline pipeline, ExecutorConfig executor) {

    public PipelineSpec {
        inputs = List.copyOf(inputs);
    }
}
