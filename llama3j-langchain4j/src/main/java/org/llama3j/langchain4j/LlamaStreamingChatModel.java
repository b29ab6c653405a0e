package org.llama3j.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import org.llama3j.Llama;

/**
 * LangChain4j's {@link StreamingChatModel} over a llama3j model in the same JVM. Generation runs on a
 * virtual thread; the handler gets each decoded piece of text ({@code onPartialResponse}, never a
 * split UTF-8 character), then {@code onCompleteResponse} with usage and finish reason, or
 * {@code onError}. A handler that throws stops the generation.
 */
public final class LlamaStreamingChatModel implements StreamingChatModel {
    private final LlamaChatEngine engine;

    private LlamaStreamingChatModel(LlamaChatEngine engine) {
        this.engine = engine;
    }

    /** The same options as {@link LlamaChatModel.Builder}. */
    public static LlamaStreamingChatModel of(LlamaChatModel.Builder builder) {
        return new LlamaStreamingChatModel(builder.engine());
    }

    public static LlamaStreamingChatModel of(Llama llama) {
        return of(LlamaChatModel.builder(llama));
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        Thread.ofVirtual().name("llama3j-langchain4j").start(() -> {
            ChatResponse response;
            try {
                response = engine.run(request, (id, text) -> {
                    if (!text.isEmpty()) {
                        handler.onPartialResponse(text);
                    }
                }, () -> false);
            } catch (RuntimeException | Error e) {
                handler.onError(e);
                return;
            }
            handler.onCompleteResponse(response);
        });
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }
}
