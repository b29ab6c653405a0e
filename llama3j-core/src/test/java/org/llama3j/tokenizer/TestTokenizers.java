package org.llama3j.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Shared test fixtures: Meta's Llama 3 tokenizer.model, loaded once per JVM. */
final class TestTokenizers {
    private static Tokenizer llama3;

    private TestTokenizers() {
    }

    static synchronized Tokenizer llama3() {
        if (llama3 == null) {
            try (InputStream in = resource("/llama3/tokenizer.model")) {
                llama3 = Llama3Tokenizer.load(in, "tokenizer.model");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return llama3;
    }

    static InputStream resource(String path) {
        InputStream in = TestTokenizers.class.getResourceAsStream(path);
        if (in == null) throw new IllegalStateException("missing test resource " + path);
        return in;
    }
}
