package org.llama3j.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.llama3j.Llama;
import org.llama3j.generate.GenerationResult;
import org.llama3j.generate.SamplingParams;
import org.llama3j.generate.TokenListener;

/**
 * What both adapters share: a loaded model, the request's prompt through the model's chat template,
 * and one generation at a time. The in-process model runs one sequence at a time on all cores; for
 * many concurrent users, {@code llama3j serve}'s continuous batching does better.
 */
final class LlamaChatEngine {
    private final Llama llama;
    private final String modelName;
    private final SamplingParams defaults;
    private final Integer defaultMaxTokens;
    private final ReentrantLock lock = new ReentrantLock();

    LlamaChatEngine(Llama llama, String modelName, SamplingParams defaults, Integer defaultMaxTokens) {
        this.llama = Objects.requireNonNull(llama, "llama");
        this.modelName = modelName != null ? modelName : llama.source();
        this.defaults = defaults != null ? defaults : SamplingParams.defaults(System.nanoTime());
        this.defaultMaxTokens = defaultMaxTokens;
    }

    String modelName() {
        return modelName;
    }

    /** Runs the request; {@code listener} sees each piece of text as it is decoded. */
    ChatResponse run(ChatRequest request, TokenListener listener, BooleanSupplier cancelled) {
        LlamaChatSettings s = LlamaChatSettings.of(request.parameters(), defaults, defaultMaxTokens);
        int[] prompt = llama.chatFormat().encodeDialogPrompt(MessageMapper.toLlama(request.messages()));
        int room = llama.config().contextLength() - prompt.length;
        if (room < 1) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens but the model's context holds "
                    + llama.config().contextLength());
        }
        int max = s.maxTokens() == null ? room : Math.min(s.maxTokens(), room);
        GenerationResult r;
        lock.lock();
        try {
            r = llama.generate(prompt, max, s.sampling(), s.stop(), listener, cancelled);
        } finally {
            lock.unlock();
        }
        return ChatResponse.builder()
                .aiMessage(AiMessage.from(r.text()))
                .modelName(modelName)
                .tokenUsage(new TokenUsage(r.inputTokens().length, r.tokens().length))
                .finishReason(finishReason(r.finishReason()))
                .build();
    }

    static FinishReason finishReason(org.llama3j.generate.FinishReason r) {
        return switch (r) {
            case STOP, STOP_STRING -> FinishReason.STOP;
            case LENGTH -> FinishReason.LENGTH;
            case CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
            case CANCELLED -> FinishReason.OTHER;
        };
    }
}
