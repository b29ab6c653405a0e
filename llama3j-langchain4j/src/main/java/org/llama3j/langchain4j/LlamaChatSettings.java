package org.llama3j.langchain4j;

import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import java.util.List;
import org.llama3j.generate.SamplingParams;

/**
 * What one request asks of the generator, from LangChain4j's {@link ChatRequestParameters} over the
 * adapter's defaults: sampling (temperature, top-p, top-k), the token budget and stop strings.
 *
 * @param maxTokens the answer's budget; null for "until the context is full"
 */
record LlamaChatSettings(SamplingParams sampling, Integer maxTokens, List<String> stop) {

    static LlamaChatSettings of(ChatRequestParameters p, SamplingParams defaults, Integer defaultMaxTokens) {
        if (p.toolSpecifications() != null && !p.toolSpecifications().isEmpty()) {
            throw new UnsupportedFeatureException("tools are not supported by the in-process adapter yet; "
                    + "use llama3j serve with OpenAiChatModel (Llama 3.1 tool calls) for tools");
        }
        if (p.responseFormat() != null && p.responseFormat().type() == ResponseFormatType.JSON) {
            throw new UnsupportedFeatureException("JSON response formats are not supported by the in-process adapter "
                    + "yet; llama3j serve enforces them with constrained decoding");
        }
        SamplingParams s = defaults;
        if (p.temperature() != null) {
            s = s.withTemperature(p.temperature().floatValue());
        }
        if (p.topP() != null) {
            s = s.withTopP(p.topP().floatValue());
        }
        if (p.topK() != null) {
            s = s.withTopK(p.topK());
        }
        Integer max = p.maxOutputTokens() != null ? p.maxOutputTokens() : defaultMaxTokens;
        if (max != null && max < 1) {
            throw new IllegalArgumentException("maxOutputTokens must be >= 1, got " + max);
        }
        List<String> stop = p.stopSequences() == null ? List.of() : List.copyOf(p.stopSequences());
        return new LlamaChatSettings(s, max, stop);
    }
}
