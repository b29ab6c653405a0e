package org.llama3j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.llama3j.chat.ChatFormat;
import org.llama3j.chat.ChatTemplate;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.format.hf.HfConfigException;
import org.llama3j.format.hf.HfLlamaConfig;
import org.llama3j.format.hf.HfTokenizerConfig;
import org.llama3j.generate.GenerationRequest;
import org.llama3j.generate.GenerationResult;
import org.llama3j.generate.Generator;
import org.llama3j.generate.SamplingParams;
import org.llama3j.generate.TextStream;
import org.llama3j.generate.TokenListener;
import org.llama3j.model.GgufModelLoader;
import org.llama3j.model.InferenceState;
import org.llama3j.model.LlamaConfig;
import org.llama3j.model.LlamaModel;
import org.llama3j.model.ModelFormatException;
import org.llama3j.model.SafetensorsModelLoader;
import org.llama3j.tensor.Tensor;
import org.llama3j.tokenizer.GgufVocabulary;
import org.llama3j.tokenizer.HuggingFaceTokenizer;
import org.llama3j.tokenizer.StreamingDecoder;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.tokenizer.TokenizerException;

/**
 * The library entry point: a loaded model with its tokenizer.
 *
 * <pre>{@code
 * try (Llama llama = Llama.load(Path.of("model.gguf"))) {   // or an HF checkpoint directory
 *     GenerationResult r = llama.generate("The capital of France is", 32, SamplingParams.GREEDY,
 *             (id, text) -> System.out.print(text));
 * }
 * }</pre>
 *
 * A {@code Llama} is safe to share between threads for generation: each call works on its own
 * {@link InferenceState}.
 */
public final class Llama implements AutoCloseable {
    private final String source;
    private final LoadedModel loaded;
    private final LlamaModel model;
    private final Tokenizer tokenizer;
    private final int bos;
    private final Set<Integer> endTokens;

    private Llama(String source, LoadedModel loaded, LlamaModel model, Tokenizer tokenizer, int bos, Set<Integer> endTokens) {
        this.source = source;
        this.loaded = loaded;
        this.model = model;
        this.tokenizer = tokenizer;
        this.bos = bos;
        this.endTokens = Set.copyOf(endTokens);
    }

    /**
     * Loads a model: a GGUF file, or a Hugging Face checkpoint (a directory with {@code config.json},
     * safetensors weights and {@code tokenizer.json}; or the path of its config.json or a .safetensors
     * file). Weights stay memory-mapped until {@link #close()}.
     */
    public static Llama load(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "model file not found");
        }
        return SafetensorsModelLoader.isCheckpoint(path) ? loadCheckpoint(path) : loadGguf(path);
    }

    private static Llama loadGguf(Path path) throws IOException {
        GgufFile f = GgufReader.open(path);
        try {
            LlamaModel model = GgufModelLoader.load(f);
            Tokenizer tok = ggufTokenizer(f);
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

    private static Llama loadCheckpoint(Path path) throws IOException {
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
        if (tok.vocabularySize() > model.config().vocabSize()) {
            throw new ModelFormatException(source + ": tokenizer has " + tok.vocabularySize()
                    + " tokens but the embedding matrix only " + model.config().vocabSize() + " rows");
        }
        return new Llama(source, loaded, model, tok, bos, ends);
    }

    private static Tokenizer ggufTokenizer(GgufFile f) {
        var md = f.metadata();
        String kind = md.optString("tokenizer.ggml.model").orElseThrow(
                () -> new ModelFormatException(f.source() + ": no tokenizer in the file (tokenizer.ggml.model missing)"));
        if (!kind.equals("gpt2")) {
            throw new ModelFormatException(f.source() + ": tokenizer model '" + kind
                    + "' is not supported (llama3j reads byte-level BPE, 'gpt2', as Llama 3 uses)");
        }
        try {
            return GgufVocabulary.create(md.getStringArray("tokenizer.ggml.tokens"),
                    md.optArray("tokenizer.ggml.merges").isPresent() ? md.getStringArray("tokenizer.ggml.merges") : null,
                    md.optArray("tokenizer.ggml.token_type").isPresent() ? md.getIntArray("tokenizer.ggml.token_type") : null,
                    md.optString("tokenizer.ggml.pre").orElse(null),
                    md.optInt("tokenizer.ggml.bos_token_id").orElse(-1));
        } catch (RuntimeException e) {
            throw new ModelFormatException(f.source() + ": " + e.getMessage(), e);
        }
    }

    public String source() {
        return source;
    }

    public LlamaModel model() {
        return model;
    }

    public LlamaConfig config() {
        return model.config();
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The files the model was loaded from (GGUF or a Hugging Face checkpoint), kept open until {@link #close()}. */
    public LoadedModel loaded() {
        return loaded;
    }

    /**
     * The GGUF file the weights are read from.
     *
     * @throws IllegalStateException if the model was loaded from a Hugging Face checkpoint (see {@link #loaded()})
     */
    public GgufFile file() {
        return loaded.gguf().orElseThrow(() -> new IllegalStateException(source + " is a " + loaded.format()
                + " checkpoint, not a GGUF file"));
    }

    /** Begin-of-text id, or -1 when the model has none. */
    public int bos() {
        return bos;
    }

    /** Ids that end generation (end_of_text, eot, eom, and the file's eos). */
    public Set<Integer> endTokens() {
        return endTokens;
    }

    /** Tokenizes a plain-text prompt: BOS first, special-token text treated as plain text. */
    public int[] tokenizePrompt(String prompt) {
        return tokenizer.encode(prompt, bos >= 0, false);
    }

    /** A text stream over this tokenizer's streaming decoder. */
    public TextStream textStream() {
        StreamingDecoder d = tokenizer.streamingDecoder();
        return new TextStream() {
            @Override
            public String accept(int tokenId) {
                return d.accept(tokenId);
            }

            @Override
            public String finish() {
                return d.flush();
            }
        };
    }

    /** Continues a plain-text prompt (BOS added, no chat template). */
    public GenerationResult generate(String prompt, int maxTokens, SamplingParams sampling, TokenListener listener) {
        return generate(tokenizePrompt(prompt), maxTokens, sampling, List.of(), listener, () -> false);
    }

    /** Continues the given prompt tokens in a fresh sequence sized to fit them plus the budget. */
    public GenerationResult generate(int[] promptTokens, int maxTokens, SamplingParams sampling, List<String> stopStrings,
                                     TokenListener listener, BooleanSupplier cancelled) {
        int capacity = Math.min(config().contextLength(), promptTokens.length + Math.max(1, maxTokens));
        if (promptTokens.length >= config().contextLength()) {
            throw new IllegalArgumentException("prompt of " + promptTokens.length + " tokens does not fit the context of "
                    + config().contextLength());
        }
        InferenceState state = model.newState(capacity);
        var request = new GenerationRequest(promptTokens, maxTokens, sampling, endTokens, stopStrings);
        return new Generator(model).generate(state, request, textStream(), listener, cancelled);
    }

    /**
     * Starts a multi-turn chat with the Llama 3.1 chat template (date lines in the system message)
     * when the model's own template (GGUF {@code tokenizer.chat_template}, HF tokenizer_config.json
     * {@code chat_template}) uses them, else the Llama 3 reference format.
     *
     * @param system        system message, or null
     * @param contextLength positions to reserve (at most the model's context length)
     */
    public ChatSession chat(String system, int contextLength) {
        int ctx = Math.min(contextLength, config().contextLength());
        String template = loaded.chatTemplate().orElse("");
        ChatTemplate t = template.contains("Cutting Knowledge Date") ? new ChatTemplate.Llama31() : new ChatTemplate.Llama3();
        return new ChatSession(this, new ChatFormat(tokenizer, t), system, ctx);
    }

    @Override
    public void close() {
        loaded.close();
    }
}
