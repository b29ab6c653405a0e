package org.llama3j.format.hf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What llama3j reads from an HF checkpoint's {@code tokenizer_config.json} (transformers
 * {@code PreTrainedTokenizerBase}): the Jinja chat template and the bos/eos token texts. A token is
 * written either as a string or as an {@code AddedToken} object with a {@code content} field; a chat
 * template either as a string or as a list of {@code {name, template}} (the one named "default" is used).
 *
 * @param chatTemplate null when absent
 * @param bosToken     token text, null when absent
 * @param eosToken     token text, null when absent
 */
public record HfTokenizerConfig(String chatTemplate, String bosToken, String eosToken) {
    public static final String FILE = "tokenizer_config.json";
    public static final HfTokenizerConfig NONE = new HfTokenizerConfig(null, null, null);

    /** Reads {@code dir/tokenizer_config.json}, or {@link #NONE} when the checkpoint has none. */
    public static HfTokenizerConfig read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    public static HfTokenizerConfig parse(String source, String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new HfConfigException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new HfConfigException(source + ": not a JSON object");
        }
        return new HfTokenizerConfig(template(source, root.get("chat_template")), token(source, root, "bos_token"),
                token(source, root, "eos_token"));
    }

    private static String template(String source, JsonNode t) {
        if (t == null || t.isNull()) {
            return null;
        }
        if (t.isTextual()) {
            return t.textValue();
        }
        if (t.isArray()) {
            for (JsonNode named : t) {
                if ("default".equals(named.path("name").asText()) && named.path("template").isTextual()) {
                    return named.get("template").textValue();
                }
            }
            return null;
        }
        throw new HfConfigException(source + ": 'chat_template' is " + t.getNodeType() + ", expected a string or a list");
    }

    private static String token(String source, JsonNode root, String key) {
        JsonNode t = root.get(key);
        if (t == null || t.isNull()) {
            return null;
        }
        if (t.isTextual()) {
            return t.textValue();
        }
        if (t.isObject() && t.path("content").isTextual()) {
            return t.get("content").textValue();
        }
        throw new HfConfigException(source + ": '" + key + "' is " + t + ", expected a token string or {\"content\": ...}");
    }
}
