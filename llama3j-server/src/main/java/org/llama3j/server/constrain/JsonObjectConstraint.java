package org.llama3j.server.constrain;

import org.llama3j.server.scheduler.TokenConstraint;

/**
 * JSON mode ({@code response_format: json_object} or {@code json_schema}, Ollama {@code format}): the
 * output must be one JSON object following the schema ({@link Schema.Obj#ANY} for any object). A token is allowed when its bytes keep the text a valid JSON prefix; special
 * tokens never are (end tokens are the scheduler's business, allowed once the object is complete).
 */
public final class JsonObjectConstraint implements TokenConstraint {
    private final TokenTable table;
    private final JsonPrefix state;
    private final JsonPrefix scratch;

    public JsonObjectConstraint(TokenTable table, Schema.Obj schema) {
        this.table = table;
        this.state = new JsonPrefix(schema);
        this.scratch = new JsonPrefix(schema);
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
