package org.llama3j.format.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.llama3j.format.gguf.GgufMetadata;
import org.llama3j.format.io.AtomicFiles;
import org.llama3j.tokenizer.GgufVocabulary;
import org.llama3j.tokenizer.Llama3PreTokenizer;
import org.llama3j.tokenizer.TokenizerException;

/**
 * Writes a GGUF byte-level BPE vocabulary ({@code tokenizer.ggml.*}) as Hugging Face tokenizer
 * files: {@code tokenizer.json} and {@code tokenizer_config.json} — the inverse of what
 * convert_hf_to_gguf.py's {@code _set_vocab_gpt2} reads. Normal tokens (already in GPT-2 byte-level
 * text) form {@code model.vocab} with their ids, control and user-defined tokens become
 * {@code added_tokens} (special), merges are copied as "left right" strings, and the pre-tokenizer
 * is Llama 3's: a Split on its pattern followed by ByteLevel without its own regex (the layout of
 * Meta's Llama 3 tokenizer.json).
 */
public final class HfTokenizerWriter {
    public static final String TOKENIZER_FILE = "tokenizer.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfTokenizerWriter() {
    }

    /** Writes {@code dir/tokenizer.json} and {@code dir/tokenizer_config.json} from GGUF metadata. */
    public static void write(GgufMetadata md, Path dir) throws IOException {
        String model = md.optString("tokenizer.ggml.model").orElse("(none)");
        if (!model.equals("gpt2")) {
            throw new TokenizerException("GGUF tokenizer.ggml.model is '" + model
                    + "'; only byte-level BPE ('gpt2') can be written as tokenizer.json");
        }
        String[] tokens = md.getStringArray("tokenizer.ggml.tokens");
        int[] types = md.optArray("tokenizer.ggml.token_type").isPresent() ? md.getIntArray("tokenizer.ggml.token_type") : null;
        String[] merges = md.optArray("tokenizer.ggml.merges").isPresent() ? md.getStringArray("tokenizer.ggml.merges")
                : new String[0];
        int bos = md.optInt("tokenizer.ggml.bos_token_id").orElse(-1);
        int eos = md.optInt("tokenizer.ggml.eos_token_id").orElse(-1);
        writeJson(dir.resolve(TOKENIZER_FILE), tokenizerJson(tokens, types, merges, bos));
        ObjectNode config = JSON.createObjectNode();
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        config.put("model_max_length", md.optInt("llama.context_length").orElse(131072));
        putToken(config, "bos_token", tokens, bos);
        putToken(config, "eos_token", tokens, eos);
        md.optString("tokenizer.chat_template").ifPresent(t -> config.put("chat_template", t));
        writeJson(dir.resolve(HfTokenizerConfig.FILE), config);
    }

    static ObjectNode tokenizerJson(String[] tokens, int[] types, String[] merges, int bos) {
        if (types != null && types.length != tokens.length) {
            throw new TokenizerException("tokenizer.ggml.token_type has " + types.length + " entries, tokens "
                    + tokens.length);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode vocab = JSON.createObjectNode();
        for (int id = 0; id < tokens.length; id++) {
            int type = types == null ? GgufVocabulary.TYPE_NORMAL : types[id];
            if (type == GgufVocabulary.TYPE_CONTROL || type == GgufVocabulary.TYPE_USER_DEFINED) {
                ObjectNode a = added.addObject();
                a.put("id", id);
                a.put("content", tokens[id]);
                a.put("single_word", false);
                a.put("lstrip", false);
                a.put("rstrip", false);
                a.put("normalized", false);
                a.put("special", type == GgufVocabulary.TYPE_CONTROL);
            } else if (type == GgufVocabulary.TYPE_NORMAL) {
                vocab.put(tokens[id], id);
            }
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode pres = pre.putArray("pretokenizers");
        ObjectNode split = pres.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", Llama3PreTokenizer.PATTERN);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        pres.add(byteLevel(false, false));
        if (bos >= 0 && bos < tokens.length) {
            root.set("post_processor", bosTemplate(tokens[bos], bos));
        } else {
            root.set("post_processor", byteLevel(true, false));
        }
        root.set("decoder", byteLevel(true, true));
        ObjectNode m = root.putObject("model");
        m.put("type", "BPE");
        m.putNull("dropout");
        m.putNull("unk_token");
        m.putNull("continuing_subword_prefix");
        m.putNull("end_of_word_suffix");
        m.put("fuse_unk", false);
        m.put("byte_fallback", false);
        m.put("ignore_merges", true);
        m.set("vocab", vocab);
        ArrayNode ms = m.putArray("merges");
        for (String merge : merges) {
            ms.add(merge);
        }
        return root;
    }

    private static ObjectNode byteLevel(boolean addPrefixSpace, boolean useRegex) {
        ObjectNode b = JSON.createObjectNode();
        b.put("type", "ByteLevel");
        b.put("add_prefix_space", addPrefixSpace);
        b.put("trim_offsets", true);
        b.put("use_regex", useRegex);
        return b;
    }

    /** Llama 3's post-processor: begin-of-text before each sequence (TemplateProcessing). */
    private static ObjectNode bosTemplate(String bosText, int bosId) {
        ObjectNode t = JSON.createObjectNode();
        t.put("type", "TemplateProcessing");
        ArrayNode single = t.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", bosText).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = t.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", bosText).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", bosText).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode special = t.putObject("special_tokens").putObject(bosText);
        special.put("id", bosText);
        special.putArray("ids").add(bosId);
        special.putArray("tokens").add(bosText);
        return t;
    }

    private static void putToken(ObjectNode config, String key, String[] tokens, int id) {
        if (id >= 0 && id < tokens.length) {
            config.put(key, tokens[id]);
        }
    }

    private static void writeJson(Path file, ObjectNode node) throws IOException {
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        AtomicFiles.write(file, ch -> AtomicFiles.writeFully(ch, ByteBuffer.wrap(bytes)));
    }
}
