package org.llama3j.server.constrain;

import org.llama3j.server.scheduler.TokenConstraint;

/**
 * JSON mode ({@code response_format: json_object}, Ollama {@code format: "json"}): the output must be
 * one JSON object. A token is allowed when its bytes keep the text a valid JSON prefix; special
 * tokens never are (end tokens are the scheduler's business, allowed once the object is complete).
 */
public final class JsonObjectConstraint implements TokenConstraint {
    private final TokenTable table;
    private final JsonPrefix state = new JsonPrefix();
    private final JsonPrefix scratch = new JsonPrefix();

    public JsonObjectConstraint(TokenTable table) {
        this.table = table;
    }

    @Override
    public boolean allows(int token) {
        if (table.special(token) || state.complete()) {
            return false;
        }
        scratch.copyFrom(state);
        return scratch.accept(table.bytes(token));
    }

    @Override
    public boolean complete() {
        return state.complete();
    }

    @Override
    public void accept(int token) {
        if (!state.accept(table.bytes(token))) {
            throw new IllegalStateException("token " + token + " is not allowed by the JSON constraint");
        }
    }
}
