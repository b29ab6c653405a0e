package org.llama3j.server;

import org.llama3j.server.http.ApiException;

/** Holds the model while it loads in the background, so /health can answer 503 until it is ready. */
public final class ModelHost {
    private volatile ServedModel model;
    private volatile Throwable failure;

    void loaded(ServedModel m) {
        this.model = m;
    }

    void failed(Throwable t) {
        this.failure = t;
    }

    /** The model, or null while loading. */
    public ServedModel current() {
        return model;
    }

    public Throwable failure() {
        return failure;
    }

    /**
     * The model for a request.
     *
     * @throws ApiException 503 while loading or when loading failed
     */
    public ServedModel ready() {
        ServedModel m = model;
        if (m != null) {
            return m;
        }
        Throwable f = failure;
        if (f != null) {
            throw new ApiException(503, "server_error", "the model failed to load: " + f.getMessage(), null,
                    "model_load_failed");
        }
        throw ApiException.unavailable("the model is still loading; retry shortly");
    }
}
