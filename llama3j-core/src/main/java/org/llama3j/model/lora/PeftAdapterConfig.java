package org.llama3j.model.lora;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.llama3j.format.io.AtomicFiles;

/**
 * PEFT's {@code adapter_config.json} for a LoRA adapter (PEFT {@code LoraConfig}, serialised by
 * {@code PeftConfigMixin.save_pretrained}). Written with the keys PEFT itself writes; read strictly:
 * only plain LoRA is accepted (no rsLoRA, DoRA, per-layer rank/alpha patterns, bias training or
 * fan_in_fan_out), so an adapter llama3j cannot apply exactly is refused rather than misapplied.
 */
public final class PeftAdapterConfig {
    public static final String FILE = "adapter_config.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private PeftAdapterConfig() {
    }

    /** Writes {@code dir/adapter_config.json} atomically. */
    public static void write(LoraConfig c, String baseModel, Path dir) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("peft_type", "LORA");
        root.put("task_type", "CAUSAL_LM");
        root.put("base_model_name_or_path", baseModel);
        root.put("r", c.rank());
        root.put("lora_alpha", c.alpha());
        root.put("lora_dropout", c.dropout());
        ArrayNode targets = root.putArray("target_modules");
        c.orderedTargets().forEach(p -> targets.add(p.module()));
        root.put("bias", "none");
        root.put("fan_in_fan_out", false);
        root.put("use_rslora", false);
        root.put("use_dora", false);
        root.put("init_lora_weights", true);
        root.put("inference_mode", true);
        root.putNull("modules_to_save");
        root.putNull("layers_to_transform");
        root.putObject("rank_pattern");
        root.putObject("alpha_pattern");
        byte[] bytes = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(FILE), ch -> AtomicFiles.writeFully(ch, ByteBuffer.wrap(bytes)));
    }

    /** Reads and validates {@code dir/adapter_config.json}. */
    public static LoraConfig read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "LoRA adapter directory has no " + FILE);
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new LoraFormatException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new LoraFormatException(file + ": expected a JSON object");
        }
        String peftType = text(root, "peft_type", "LORA", file);
        if (!peftType.equals("LORA")) {
            throw new LoraFormatException(file + ": peft_type is '" + peftType + "'; only LORA adapters are supported");
        }
        JsonNode r = root.get("r");
        if (r == null || !r.isIntegralNumber() || r.asInt() <= 0) {
            throw new LoraFormatException(file + ": 'r' must be a positive integer, got " + r);
        }
        JsonNode alpha = root.get("lora_alpha");
        if (alpha == null || !alpha.isNumber() || alpha.asDouble() <= 0) {
            throw new LoraFormatException(file + ": 'lora_alpha' must be a positive number, got " + alpha);
        }
        JsonNode dropout = root.get("lora_dropout");
        float p = dropout == null || dropout.isNull() ? 0f : (float) dropout.asDouble();
        if (dropout != null && !dropout.isNull() && (!dropout.isNumber() || p < 0 || p >= 1)) {
            throw new LoraFormatException(file + ": 'lora_dropout' must be a number in [0, 1), got " + dropout);
        }
        unsupported(root, file, "use_rslora", true);
        unsupported(root, file, "use_dora", true);
        unsupported(root, file, "fan_in_fan_out", true);
        if (!text(root, "bias", "none", file).equals("none")) {
            throw new LoraFormatException(file + ": bias '" + root.get("bias").asText() + "' is not supported (only 'none')");
        }
        for (String key : new String[] {"rank_pattern", "alpha_pattern"}) {
            JsonNode n = root.get(key);
            if (n != null && !n.isNull() && !n.isEmpty()) {
                throw new LoraFormatException(file + ": per-module '" + key + "' is not supported");
            }
        }
        JsonNode layers = root.get("layers_to_transform");
        if (layers != null && !layers.isNull()) {
            throw new LoraFormatException(file + ": 'layers_to_transform' is not supported (adapters cover every layer)");
        }
        return new LoraConfig(r.asInt(), (float) alpha.asDouble(), p, targets(root.get("target_modules"), file));
    }

    private static Set<Projection> targets(JsonNode node, Path file) {
        if (node != null && node.isTextual() && node.asText().equals("all-linear")) {
            return EnumSet.allOf(Projection.class);    // PEFT: every linear layer except the output head
        }
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new LoraFormatException(file + ": 'target_modules' must be a non-empty list of q_proj, k_proj, v_proj,"
                    + " o_proj, gate_proj, up_proj, down_proj (or \"all-linear\"), got " + node);
        }
        EnumSet<Projection> out = EnumSet.noneOf(Projection.class);
        for (JsonNode t : node) {
            Projection p = t.isTextual() ? Projection.ofModule(t.asText()) : null;
            if (p == null) {
                throw new LoraFormatException(file + ": target module " + t + " is not a Llama linear projection"
                        + " (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)");
            }
            out.add(p);
        }
        return out;
    }

    private static String text(JsonNode root, String key, String absent, Path file) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isTextual()) {
            throw new LoraFormatException(file + ": '" + key + "' must be a string, got " + n);
        }
        return n.asText();
    }

    private static void unsupported(JsonNode root, Path file, String key, boolean value) {
        JsonNode n = root.get(key);
        if (n != null && n.isBoolean() && n.asBoolean() == value) {
            throw new LoraFormatException(file + ": '" + key + "' = " + value + " is not supported");
        }
    }
}
