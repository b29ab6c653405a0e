package org.llama3j.server.constrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonPrefixTest {

    static JsonPrefix feed(String s) {
        JsonPrefix p = new JsonPrefix();
        return p.accept(s.getBytes(StandardCharsets.UTF_8)) ? p : null;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}", " {\"a\": 1}", "{\"a\":[1,2.5,-3e+2,0.1E5,true,false,null,\"x\\u00e9\\n\"],\"b\":{\"c\":{}}}",
            "{\"emoji\":\"😀 é\"}", "{\"a\":-0}", "{\"a\":[]}", "{\"a\":[[],{}]}\n"})
    void completeObjects(String json) {
        JsonPrefix p = feed(json);
        assertTrue(p != null && p.complete(), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{\"", "{\"a", "{\"a\"", "{\"a\":", "{\"a\": -", "{\"a\": 1.", "{\"a\": 1e",
            "{\"a\": tr", "{\"a\": \"\\u00", "{\"a\": [1,", "{\"a\": {\"b\": [{"})
    void validIncompletePrefixes(String json) {
        JsonPrefix p = feed(json);
        assertTrue(p != null && !p.complete(), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "\"s\"", "1", "{a", "{\"a\" 1", "{\"a\":}", "{\"a\":01", "{\"a\":1.}", "{\"a\":-}",
            "{\"a\":tru}", "{\"a\":1,}", "{,}", "{\"a\":1]", "{}}", "{} x", "{\"a\":\"\\x\"}", "{\"a\":\"\u0001\"}",
            "{\"a\":[1 2]}", "{\"a\":\"\\u12g4\"}", "{\"a\":.5}"})
    void invalidTexts(String json) {
        assertEquals(null, feed(json), json);
    }

    @ParameterizedTest
    @ValueSource(ints = {JsonPrefix.MAX_WHITESPACE + 1})
    void whitespaceRunsAreCapped(int n) {
        assertFalse(new JsonPrefix().accept((" ".repeat(n) + "{").getBytes(StandardCharsets.US_ASCII)));
        assertTrue(new JsonPrefix().accept((" ".repeat(n - 1) + "{").getBytes(StandardCharsets.US_ASCII)));
    }

    @ParameterizedTest
    @ValueSource(ints = {JsonPrefix.MAX_DEPTH})
    void nestingIsCapped(int depth) {
        assertTrue(new JsonPrefix().accept(("{\"a\":" + "[".repeat(depth - 1)).getBytes(StandardCharsets.US_ASCII)));
        assertFalse(new JsonPrefix().accept(("{\"a\":" + "[".repeat(depth)).getBytes(StandardCharsets.US_ASCII)));
    }
}
