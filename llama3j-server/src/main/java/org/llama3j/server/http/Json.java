package org.llama3j.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The server's JSON: one shared mapper, strict parsing of request bodies. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    static {
        // nesting bound: a hostile body of 100k '[' must be a 400, not a stack overflow
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
    }

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * Parses a request body that must be a JSON object in valid UTF-8.
     *
     * @throws ApiException 400 naming what is wrong
     */
    public static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("the request body is empty; expected a JSON object", null);
        }
        try {
            // Jackson decodes UTF-8 itself but may pass some malformed sequences; check strictly first
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("the request body is not valid UTF-8", null, "invalid_encoding");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage(), null,
                    "invalid_json");
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("the request body could not be read: " + e.getMessage(), null, "invalid_json");
        }
        if (!(node instanceof ObjectNode obj)) {
            throw ApiException.badRequest("the request body must be a JSON object, not " + describe(node), null,
                    "invalid_json");
        }
        return obj;
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize JSON", e);
        }
    }

    public static String string(JsonNode node) {
        return new String(bytes(node), StandardCharsets.UTF_8);
    }

    /** A short description of a JSON value's type for error messages. */
    public static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) return "nothing";
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase();
        };
    }
}
