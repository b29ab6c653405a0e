package org.llama3j.data.langid;

import org.llama3j.data.DataPipelineException;

/** A language model file or training input is missing or malformed. */
public final class LanguageIdException extends DataPipelineException {

    public LanguageIdException(String message) {
        super(message);
    }

    public LanguageIdException(String message, Throwable cause) {
        super(message, cause);
    }
}
