package org.llama3j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.format.hf.HfConfigException;
import org.llama3j.format.hf.HfLlamaConfig;
import org.llama3j.format.hf.HfTokenizerConfig;
import org.llama3j.model.GgufModelLoader;
import org.llama3j.model.LlamaModel;
import org.llama3j.model.ModelFormatException;
import org.llama3j.model.SafetensorsModelLoader;
import org.llama3j.tensor.Tensor;
import org.llama3j.tokenizer.GgufVocabulary;
import org.llama3j.tokenizer.HuggingFaceTokenizer;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.tokenizer.TokenizerException;

/**
 * Opens the two kinds of model {@link Llama#load} accepts and pairs the weights with their tokenizer
 * and bos/end tokens: a GGUF file ({@code tokenizer.ggml.*} metadata) or a Hugging Face checkpoint
 * directory ({@code tokenizer.json}, bos/eos ids from {@code config.json}, bos/eos texts and the chat
 * template from {@code tokenizer_config.json}).
 */
final class LlamaLoader {
    private LlamaLoader() {
    }

    static Llama gguf(Path path) throws IOException {
        GgufFile f = GgufReader.open(path);
        StartupTrace.mark("GGUF header and metadata read");
        try {
            LlamaModel model = GgufModelLoader.load(f);
            StartupTrace.mark("model built");
            Tokenizer tok = ggufTokenizer(f);
            StartupTrace.mark("tokenizer built");
            var md = f.metadata();
            int bos = md.optInt("tokenizer.ggml.bos_token_id").orElse(-1);
            Set<Integer> ends = new LinkedHashSet<>();
            md.optInt("tokenizer.ggml.eos_token_id").ifPresent(ends::add);
            md.optInt("tokenizer.ggml.eot_token_id").ifPresent(ends::add);
            md.optInt("tokenizer.ggml.eom_token_id").ifPresent(ends::add);
            var loaded = new LoadedModel("GGUF v" + f.version(), md.optString("general.name"), f.tensors(),
                    Files.size(path), md.optString("tokenizer.chat_template"), Optional.of(f), f);
            return assemble(path.toString(), loaded, model, tok, bos, ends);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    static Llama checkpoint(Path path) throws IOException {
        SafetensorsModelLoader.Checkpoint ckpt = SafetensorsModelLoader.open(path);
        try {
            Path dir = ckpt.directory();
            Path tokenizerJson = dir.resolve("tokenizer.json");
            if (!Files.isRegularFile(tokenizerJson)) {
                throw new ModelFormatException(dir + ": no tokenizer.json (llama3j reads the Hugging Face tokenizer file)");
            }
            Tokenizer tok;
            HfTokenizerConfig tc;
            try {
                tok = HuggingFaceTokenizer.load(tokenizerJson);
                tc = HfTokenizerConfig.read(dir);
            } catch (TokenizerException | HfConfigException e) {
                throw new ModelFormatException(e.getMessage(), e);
            }
            HfLlamaConfig hf = ckpt.hfConfig();
            int bos = !hf.bosTokenIds().isEmpty() ? hf.bosTokenIds().getFirst() : specialId(tok, tc.bosToken());
            Set<Integer> ends = new LinkedHashSet<>(hf.eosTokenIds());
            int eos = specialId(tok, tc.eosToken());
            if (eos >= 0) {
                ends.add(eos);
            }
            long size = 0;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String name : ckpt.safetensors().tensorNames()) {
                tensors.put(name, ckpt.safetensors().tensor(name));
            }
            for (var f : ckpt.safetensors().files()) {
                size += Files.size(dir.resolve(f.source()));
            }
            int n = ckpt.safetensors().files().size();
            var loaded = new LoadedModel("Hugging Face safetensors (" + n + (n == 1 ? " file)" : " files)"),
                    Optional.empty(), tensors, size, Optional.ofNullable(tc.chatTemplate()), Optional.empty(), ckpt);
            return assemble(dir.toString(), loaded, ckpt.model(), tok, bos, ends);
        } catch (RuntimeException e) {
            ckpt.close();
            throw e;
        }
    }

    private static int specialId(Tokenizer tok, String text) {
        return text != null && tok.specialTokens().contains(text) ? tok.specialId(text) : -1;
    }

    /** Adds Llama 3's end-of-turn tokens to the file's own and checks the tokenizer fits the model. */
    private static Llama assemble(String source, LoadedModel loaded, LlamaModel model, Tokenizer tok, int bos,
                                  Set<Integer> ends) {
        for (String name : List.of("<|end_of_text|>", "<|eot_id|>", "<|eom_id|>")) {
            if (tok.specialTokens().contains(name)) {
                ends.add(tok.specialId(name));
            }
        }
        if (bos >= model.config().vocabSize()) {
            throw new ModelFormatException(source + ": begin-of-text id " + bos + " is outside the vocabulary of "
                    + model.config().vocabSize());
        }
        if (tok.vocabularySize() > model.config().vocabSize()) {
            throw new ModelFormatException(source + ": tokenizer has " + tok.vocabularySize()
                    + " tokens but the embedding matrix only " + model.config().vocabSize() + " rows");
        }
        return new Llama(source, loaded, model, tok, bos, ends);
    }

    private static Tokenizer ggufTokenizer(GgufFile f) {
        try {
            return GgufVocabulary.fromGguf(f);
        } catch (TokenizerException e) {
            throw new ModelFormatException(e.getMessage(), e);
        }
    }
}
