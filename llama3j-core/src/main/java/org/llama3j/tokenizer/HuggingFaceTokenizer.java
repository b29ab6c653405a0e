package org.llama3j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads a Hugging Face {@code tokenizer.json} of a byte-level BPE model (Llama 3's): {@code model.vocab}
 * in GPT-2 byte-level form with id = rank, {@code added_tokens} as special tokens. The pre-tokenizer
 * must be a Split on the Llama 3 pattern (possibly inside a Sequence with ByteLevel).
 */
public final class HuggingFaceTokenizer {
    private HuggingFaceTokenizer() {
    }

    public static Tokenizer load(Path tokenizerJson) {
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            return load(in, tokenizerJson.toString());
        } catch (IOException e) {
            throw new TokenizerException("cannot read " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /** @param source name used in error messages */
    public static Tokenizer load(InputStream in, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new TokenizerException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText())) {
            throw new TokenizerException(source + ": model.type is '" + model.path("type").asText() + "', expected 'BPE'");
        }
        JsonNode vocab = model.path("vocab");
        if (!vocab.isObject() || vocab.isEmpty()) throw new TokenizerException(source + ": model.vocab is missing or empty");
        checkPreTokenizer(root.path("pre_tokenizer"), source);

        Map<String, Integer> specials = new LinkedHashMap<>();
        for (JsonNode added : root.path("added_tokens")) {
            if (!added.path("id").isInt() || !added.path("content").isTextual()) {
                throw new TokenizerException(source + ": added_tokens entry " + added + " lacks id or content");
            }
            specials.put(added.get("content").asText(), added.get("id").asInt());
        }
        Map<ByteSequence, Integer> ranks = new HashMap<>(vocab.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (specials.containsKey(e.getKey())) continue; // added tokens may also be listed in the vocab
            if (!e.getValue().isInt()) {
                throw new TokenizerException(source + ": model.vocab['" + e.getKey() + "'] is not an integer id");
            }
            byte[] bytes;
            try {
                bytes = ByteLevelUnicode.decode(e.getKey());
            } catch (TokenizerException ex) {
                throw new TokenizerException(source + ": model.vocab: " + ex.getMessage(), ex);
            }
            if (ranks.put(ByteSequence.of(bytes), e.getValue().asInt()) != null) {
                throw new TokenizerException(source + ": model.vocab token '" + e.getKey() + "' repeats another");
            }
        }
        String bos = specials.containsKey(Llama3Tokenizer.BEGIN_OF_TEXT) ? Llama3Tokenizer.BEGIN_OF_TEXT : null;
        return new Tokenizer(ranks, new SpecialTokens(specials), Llama3PreTokenizer.INSTANCE, bos);
    }

    private static void checkPreTokenizer(JsonNode pre, String source) {
        if (pre.isMissingNode() || pre.isNull()) {
            throw new TokenizerException(source + ": pre_tokenizer is missing; expected a Split on the Llama 3 pattern");
        }
        if (!findLlama3Split(pre)) {
            throw new TokenizerException(source + ": pre_tokenizer " + pre
                    + " is not supported: only a Split on the Llama 3 pattern is implemented");
        }
    }

    private static boolean findLlama3Split(JsonNode node) {
        String type = node.path("type").asText();
        if ("Sequence".equals(type)) {
            for (JsonNode child : node.path("pretokenizers")) {
                if (findLlama3Split(child)) return true;
            }
            return false;
        }
        return "Split".equals(type) && Llama3PreTokenizer.PATTERN.equals(node.path("pattern").path("Regex").asText());
    }
}
