package org.llama3j.data;

/** Base of the data pipeline's failures; the message names the file, task, step or key at fault. */
public class DataPipelineException extends RuntimeException {
    public DataPipelineException(String message) {
        super(message);
    }

    public DataPipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
