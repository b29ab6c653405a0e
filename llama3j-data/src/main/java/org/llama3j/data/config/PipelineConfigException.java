package org.llama3j.data.config;

import org.llama3j.data.DataPipelineException;

/** The pipeline YAML is invalid; the message names the file and the key (e.g. {@code steps[2].minDocWords}). */
public class PipelineConfigException extends DataPipelineException {
    public PipelineConfigException(String message) {
        super(message);
    }

    public PipelineConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
