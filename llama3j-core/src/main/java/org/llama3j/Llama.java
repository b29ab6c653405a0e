package org.llama3j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.llama3j.chat.ChatFormat;
import org.llama3j.chat.ChatTemplate;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.generate.GenerationRequest;
import org.llama3j.generate.GenerationResult;
import org.llama3j.generate.Generator;
import org.llama3j.generate.SamplingParams;
import org.llama3j.generate.TextStream;
import org.llama3j.generate.TokenListener;
import org.llama3j.model.InferenceState;
import org.llama3j.model.LlamaConfig;
import org.llama3j.model.LlamaModel;
import org.llama3j.model.SafetensorsModelLoader;
import org.llama3j.model.lora.LoraAdapter;
import org.llama3j.model.lora.LoraBase;
import org.llama3j.model.lora.PeftAdapter;
import org.llama3j.tokenizer.StreamingDecoder;
import org.llama3j.tokenizer.Tokenizer;

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

    Llama(String source, LoadedModel loaded, LlamaModel model, Tokenizer tokenizer, int bos, Set<Integer> endTokens) {
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
        return SafetensorsModelLoader.isCheckpoint(path) ? LlamaLoader.checkpoint(path) : LlamaLoader.gguf(path);
    }

    /**
     * This model with the LoRA adapter in {@code adapterDir} (Hugging Face PEFT layout:
     * adapter_config.json, adapter_model.safetensors) applied as a side path ({@link LlamaModel#withLora}).
     * The result shares this model's files: close one of the two, not both.
     *
     * @throws org.llama3j.model.lora.LoraFormatException if the adapter is malformed or does not fit this model
     */
    public Llama withLora(Path adapterDir) throws IOException {
        LoraAdapter adapter = PeftAdapter.read(adapterDir, LoraBase.of(config()));
        return new Llama(source + " + LoRA " + adapterDir, loaded, model.withLora(adapter), tokenizer, bos, endTokens);
    }

    /** Loads a model and applies a LoRA adapter directory to it ({@code adapterDir} null: none). */
    public static Llama load(Path path, Path adapterDir) throws IOException {
        Llama base = load(path);
        if (adapterDir == null) {
            return base;
        }
        try {
            return base.withLora(adapterDir);
        } catch (IOException | RuntimeException e) {
            base.close();
            throw e;
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
        return new ChatSession(this, chatFormat(), system, ctx);
    }

    /**
     * The model's chat format: the Llama 3.1 template (date lines in the system message) when the
     * model's own template (GGUF {@code tokenizer.chat_template}, HF tokenizer_config.json
     * {@code chat_template}) uses them, else the Llama 3 reference format.
     */
    public ChatFormat chatFormat() {
        String template = loaded.chatTemplate().orElse("");
        ChatTemplate t = template.contains("Cutting Knowledge Date") ? new ChatTemplate.Llama31() : new ChatTemplate.Llama3();
        return new ChatFormat(tokenizer, t);
    }

    @Override
    public void close() {
        loaded.close();
    }
}
