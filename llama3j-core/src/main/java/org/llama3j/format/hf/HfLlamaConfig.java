package org.llama3j.format.hf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llama3j.format.io.AtomicFiles;

/**
 * The fields of an HF {@code LlamaForCausalLM} {@code config.json} that llama3j uses. Defaults for
 * absent optional fields are those of transformers' {@code LlamaConfig}: num_key_value_heads =
 * num_attention_heads, head_dim = hidden_size / num_attention_heads, rms_norm_eps = 1e-6,
 * rope_theta = 10000, max_position_embeddings = 2048, tie_word_embeddings = false.
 *
 * @param ropeScaling     null when the config has none
 * @param bosTokenIds     {@code bos_token_id} (an int or a list in config.json); empty if absent
 * @param eosTokenIds     {@code eos_token_id}, e.g. [128001, 128008, 128009] for Llama 3.1 Instruct
 * @param torchDtype      e.g. "bfloat16"; null if absent
 */
public record HfLlamaConfig(int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads,
                            int numKeyValueHeads, int headDim, double rmsNormEps, double ropeTheta,
                            HfRopeScaling ropeScaling, int vocabSize, int maxPositionEmbeddings,
                            boolean tieWordEmbeddings, List<Integer> bosTokenIds, List<Integer> eosTokenIds,
                            String torchDtype) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public HfLlamaConfig {
        bosTokenIds = List.copyOf(bosTokenIds);
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /** Reads {@code config.json}. */
    public static HfLlamaConfig read(Path configJson) throws IOException {
        return parse(String.valueOf(configJson.getFileName()), Files.readString(configJson, StandardCharsets.UTF_8));
    }

    /** Parses config JSON text; {@code source} names it in messages. */
    public static HfLlamaConfig parse(String source, String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new HfConfigException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new HfConfigException(source + ": not a JSON object");
        }
        Fields f = new Fields(source, root);
        int hidden = f.positiveInt("hidden_size", null);
        int heads = f.positiveInt("num_attention_heads", null);
        int kvHeads = f.positiveInt("num_key_value_heads", heads);
        if (heads % kvHeads != 0) {
            throw new HfConfigException(source + ": num_attention_heads " + heads
                    + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        if (hidden % heads != 0 && f.present(root, "head_dim") == null) {
            throw new HfConfigException(source + ": hidden_size " + hidden + " is not divisible by num_attention_heads "
                    + heads + " and no head_dim is given");
        }
        int headDim = f.positiveInt("head_dim", hidden / heads);
        double eps = f.positiveDouble("rms_norm_eps", 1e-6);
        double theta = f.positiveDouble("rope_theta", 10000.0);
        return new HfLlamaConfig(hidden, f.positiveInt("intermediate_size", null), f.positiveInt("num_hidden_layers", null),
                heads, kvHeads, headDim, eps, theta, f.ropeScaling(), f.positiveInt("vocab_size", null),
                f.positiveInt("max_position_embeddings", 2048), f.bool("tie_word_embeddings", false),
                f.ids("bos_token_id"), f.ids("eos_token_id"), f.optString("torch_dtype"));
    }

    /** This config as an HF {@code config.json} object (LlamaForCausalLM). */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("architectures").add("LlamaForCausalLM");
        o.put("model_type", "llama");
        o.put("hidden_act", "silu");
        o.put("hidden_size", hiddenSize);
        o.put("intermediate_size", intermediateSize);
        o.put("num_hidden_layers", numHiddenLayers);
        o.put("num_attention_heads", numAttentionHeads);
        o.put("num_key_value_heads", numKeyValueHeads);
        o.put("head_dim", headDim);
        o.put("rms_norm_eps", rmsNormEps);
        o.put("rope_theta", ropeTheta);
        if (ropeScaling != null) {
            ObjectNode r = o.putObject("rope_scaling");
            r.put("rope_type", ropeScaling.type());
            r.put("factor", ropeScaling.factor());
            if (ropeScaling.isLlama3()) {
                r.put("low_freq_factor", ropeScaling.lowFreqFactor());
                r.put("high_freq_factor", ropeScaling.highFreqFactor());
                r.put("original_max_position_embeddings", ropeScaling.originalMaxPositionEmbeddings());
            }
        }
        o.put("vocab_size", vocabSize);
        o.put("max_position_embeddings", maxPositionEmbeddings);
        o.put("tie_word_embeddings", tieWordEmbeddings);
        putIds(o, "bos_token_id", bosTokenIds);
        putIds(o, "eos_token_id", eosTokenIds);
        if (torchDtype != null) {
            o.put("torch_dtype", torchDtype);
        }
        return o;
    }

    private static void putIds(ObjectNode o, String key, List<Integer> ids) {
        if (ids.size() == 1) {
            o.put(key, ids.getFirst());
        } else if (ids.size() > 1) {
            ArrayNode a = o.putArray(key);
            ids.forEach(a::add);
        }
    }

    public String toJsonString() {
        try {
            return JSON.writeValueAsString(toJson()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code config.json} atomically. */
    public void write(Path configJson) throws IOException {
        byte[] bytes = toJsonString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(configJson, ch -> AtomicFiles.writeFully(ch, ByteBuffer.wrap(bytes)));
    }

    /** Typed field access with messages naming the file and field. */
    private record Fields(String source, JsonNode root) {
        private HfConfigException bad(String key, String problem) {
            return new HfConfigException(source + ": '" + key + "' " + problem);
        }

        private JsonNode present(JsonNode parent, String key) {
            JsonNode v = parent.get(key);
            return v == null || v.isNull() ? null : v;
        }

        int positiveInt(String key, Integer dflt) {
            return positiveInt(root, key, dflt);
        }

        int positiveInt(JsonNode parent, String key, Integer dflt) {
            JsonNode v = present(parent, key);
            if (v == null) {
                if (dflt == null) {
                    throw bad(key, "is missing");
                }
                return dflt;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0) {
                throw bad(key, "is " + v + ", expected a positive integer");
            }
            return v.intValue();
        }

        double positiveDouble(String key, Double dflt) {
            return positiveDouble(root, key, dflt);
        }

        double positiveDouble(JsonNode parent, String key, Double dflt) {
            JsonNode v = present(parent, key);
            if (v == null) {
                if (dflt == null) {
                    throw bad(key, "is missing");
                }
                return dflt;
            }
            if (!v.isNumber() || !(v.doubleValue() > 0) || Double.isInfinite(v.doubleValue())) {
                throw bad(key, "is " + v + ", expected a positive number");
            }
            return v.doubleValue();
        }

        boolean bool(String key, boolean dflt) {
            JsonNode v = present(root, key);
            if (v == null) {
                return dflt;
            }
            if (!v.isBoolean()) {
                throw bad(key, "is " + v + ", expected true or false");
            }
            return v.booleanValue();
        }

        String optString(String key) {
            JsonNode v = present(root, key);
            if (v != null && !v.isTextual()) {
                throw bad(key, "is " + v + ", expected a string");
            }
            return v == null ? null : v.textValue();
        }

        List<Integer> ids(String key) {
            JsonNode v = present(root, key);
            List<Integer> out = new ArrayList<>();
            if (v == null) {
                return out;
            }
            for (JsonNode id : v.isArray() ? v : List.of(v)) {
                if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
                    throw bad(key, "has " + id + ", expected a non-negative token id");
                }
                out.add(id.intValue());
            }
            return out;
        }

        HfRopeScaling ropeScaling() {
            JsonNode r = present(root, "rope_scaling");
            if (r == null) {
                return null;
            }
            if (!r.isObject()) {
                throw bad("rope_scaling", "is " + r + ", expected an object");
            }
            JsonNode typeNode = present(r, "rope_type") != null ? r.get("rope_type") : present(r, "type");
            if (typeNode == null || !typeNode.isTextual()) {
                throw bad("rope_scaling", "has no string 'rope_type' (or 'type')");
            }
            String type = typeNode.textValue();
            if (type.equals("default")) {
                return null;
            }
            Fields in = new Fields(source + " rope_scaling", r);
            double factor = in.positiveDouble("factor", null);
            if (!type.equals(HfRopeScaling.LLAMA3)) {
                return new HfRopeScaling(type, factor, 0, 0, 0);
            }
            double low = in.positiveDouble("low_freq_factor", null);
            double high = in.positiveDouble("high_freq_factor", null);
            if (!(high > low)) {
                throw bad("rope_scaling", "high_freq_factor " + high + " must exceed low_freq_factor " + low);
            }
            return new HfRopeScaling(type, factor, low, high, in.positiveInt("original_max_position_embeddings", null));
        }
    }
}
