package org.llama3j.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import org.llama3j.Llama;
import org.llama3j.generate.SamplingParams;
import org.llama3j.generate.TokenListener;

/**
 * LangChain4j's {@link ChatModel} over a llama3j model in the same JVM (no HTTP):
 * <pre>{@code
 * try (Llama llama = Llama.load(Path.of("Llama-3.2-1B-Instruct-Q8_0.gguf"))) {
 *     ChatModel model = LlamaChatModel.builder(llama).maxTokens(256).build();
 *     String answer = model.chat("Why is the sky blue?");
 * }
 * }</pre>
 * The request's temperature, top-p, top-k, max output tokens and stop sequences apply; the prompt
 * goes through the model's own chat template. The caller keeps owning the {@link Llama}.
 */
public final class LlamaChatModel implements ChatModel {
    private final LlamaChatEngine engine;

    private LlamaChatModel(LlamaChatEngine engine) {
        this.engine = engine;
    }

    public static Builder builder(Llama llama) {
        return new Builder(llama);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return engine.run(request, TokenListener.NONE, () -> false);
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /** Defaults for requests that leave a setting out. */
    public static final class Builder {
        private final Llama llama;
        private String modelName;
        private SamplingParams sampling;
        private Integer maxTokens;

        private Builder(Llama llama) {
            this.llama = llama;
        }

        /** The name in responses (default: the model's source path). */
        public Builder modelName(String name) {
            this.modelName = name;
            return this;
        }

        /** Default sampling (default: {@link SamplingParams#defaults(long)} with a time-based seed). */
        public Builder sampling(SamplingParams s) {
            this.sampling = s;
            return this;
        }

        /** Default answer budget (default: until the context is full or an end token). */
        public Builder maxTokens(int n) {
            this.maxTokens = n;
            return this;
        }

        public LlamaChatModel build() {
            return new LlamaChatModel(new LlamaChatEngine(llama, modelName, sampling, maxTokens));
        }

        LlamaChatEngine engine() {
            return new LlamaChatEngine(llama, modelName, sampling, maxTokens);
        }
    }
}
