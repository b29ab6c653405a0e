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

    static final Schema.Obj PERSON = SchemaCompiler.compileRoot(read("""
            {"type": "object", "additionalProperties": false, "required": ["name", "age"],
             "properties": {"name": {"type": "string"}, "age": {"type": "integer"},
                            "tags": {"type": "array", "items": {"enum": ["a", "bc"]}, "minItems": 1, "maxItems": 2},
                            "ok": {"type": "boolean"}, "none": {"type": "null"}, "any": {}}}"""));

    static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JsonPrefix schemaFeed(String s) {
        JsonPrefix p = new JsonPrefix(PERSON);
        return p.accept(s.getBytes(StandardCharsets.UTF_8)) ? p : null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\": \"Ann\", \"age\": 41}", "{\"age\":-3,\"name\":\"\\u00e9\",\"tags\":[\"bc\",\"a\"]}",
            "{\"name\":\"x\",\"age\":0,\"ok\":true,\"none\":null,\"any\":[1,{\"k\":\"v\"}]}"})
    void documentsFollowingTheSchema(String json) {
        JsonPrefix p = schemaFeed(json);
        assertTrue(p != null && p.complete(), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"nam\":", "{\"name\":1", "{\"age\":1.5", "{\"age\":1e3", "{\"name\":\"x\"}",
            "{\"name\":\"x\",\"name\"", "{\"other\"", "{\"tags\":[]", "{\"tags\":[\"a\",\"a\",\"a\"",
            "{\"tags\":[\"b\"]", "{\"tags\":[\"ab", "{\"ok\":nul", "{\"none\":false", "{\"age\":\"1\""})
    void bytesBreakingTheSchemaAreRefused(String json) {
        assertEquals(null, schemaFeed(json), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"na", "{\"name\":\"x\",\"age\":12", "{\"tags\":[\"b", "{\"any\":{\"deep\":[tr"})
    void prefixesOfSchemaDocumentsAreAccepted(String json) {
        JsonPrefix p = schemaFeed(json);
        assertTrue(p != null && !p.complete(), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"object\",\"properties\":{\"a\":{\"type\":[\"string\",\"null\"]}}}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/x\"}}}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"x\"}}}",
            "{\"type\":\"object\",\"properties\":{\"a\":{}},\"required\":[\"b\"]}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"enum\":[1,2]}}}",
            "{\"type\":\"array\"}"})
    void unsupportedSchemasAreRefusedByName(String schema) {
        SchemaException e = org.junit.jupiter.api.Assertions.assertThrows(SchemaException.class,
                () -> SchemaCompiler.compileRoot(read(schema)));
        assertTrue(e.getMessage().startsWith("schema"), e.getMessage());
    }
}
