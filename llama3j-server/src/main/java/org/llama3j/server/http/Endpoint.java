package org.llama3j.server.http;

import java.io.IOException;

/** Handles one route; throws {@link ApiException} to answer with an error object. */
@FunctionalInterface
public interface Endpoint {
    void handle(Exchange exchange) throws IOException;
}
