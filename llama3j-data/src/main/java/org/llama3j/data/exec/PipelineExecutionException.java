package org.llama3j.data.exec;

import org.llama3j.data.DataPipelineException;

/** One or more tasks failed; completed tasks keep their markers, so a re-run resumes after fixing the cause. */
public class PipelineExecutionException extends DataPipelineException {
    public PipelineExecutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
