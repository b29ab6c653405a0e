package org.llama3j.data.corpus;

/** The demo corpus could not be fetched or read: names the package, file or command and the problem. */
public final class DemoCorpusException extends RuntimeException {
    public DemoCorpusException(String message) {
        super(message);
    }

    public DemoCorpusException(String message, Throwable cause) {
        super(message, cause);
    }
}
