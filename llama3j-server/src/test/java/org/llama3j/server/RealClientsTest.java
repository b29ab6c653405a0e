package org.llama3j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.llama3j.chat.ChatFormat;
import org.llama3j.chat.ChatTemplate;
import org.llama3j.chat.Message;
import org.llama3j.generate.GenerationResult;
import org.llama3j.generate.SamplingParams;
import org.llama3j.generate.TokenListener;

/** LangChain4j's OpenAI and Ollama clients, unmodified, against the server. */
class RealClientsTest {
    static LlamaServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestModels.serve(ServerConfig.of(TestModels.tiny(), 0, 2, 512).withApiKey("lc4j-key"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String referenceGreedy(String user, int max) throws Exception {
        var llama = TestModels.shared();
        int[] prompt = new ChatFormat(llama.tokenizer(), new ChatTemplate.Llama3()).encodeDialogPrompt(List.of(Message.user(user)));
        GenerationResult r = llama.generate(prompt, max, SamplingParams.GREEDY, List.of(), TokenListener.NONE, () -> false);
        return r.text();
    }

    @Test
    void langChain4jOpenAiChatModel() throws Exception {
        ChatModel model = OpenAiChatModel.builder().baseUrl(server.uri() + "/v1").apiKey("lc4j-key")
                .modelName("tiny-random").temperature(0.0).maxTokens(8).build();
        ChatResponse r = model.chat(ChatRequest.builder().messages(UserMessage.from("hello from langchain4j")).build());
        assertEquals(referenceGreedy("hello from langchain4j", 8), r.aiMessage().text());
        assertEquals(8, r.tokenUsage().outputTokenCount());
        assertEquals(FinishReason.LENGTH, r.finishReason());
    }

    @Test
    void langChain4jOpenAiStreamingChatModel() throws Exception {
        StreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(server.uri() + "/v1").apiKey("lc4j-key")
                .modelName("tiny-random").temperature(0.0).maxTokens(8).build();
        StringBuilder partial = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat("stream to langchain4j", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String s) {
                partial.append(s);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse r = done.get(60, TimeUnit.SECONDS);
        String expected = referenceGreedy("stream to langchain4j", 8);
        assertEquals(expected, partial.toString());
        assertEquals(expected, r.aiMessage().text());
    }

    @Test
    void langChain4jSendsToolsAndGetsAnAnswer() {
        ChatModel model = OpenAiChatModel.builder().baseUrl(server.uri() + "/v1").apiKey("lc4j-key")
                .modelName("tiny-random").temperature(0.0).maxTokens(6).build();
        ToolSpecification weather = ToolSpecification.builder().name("get_weather").description("Weather in a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();
        ChatResponse r = model.chat(ChatRequest.builder().messages(UserMessage.from("weather in Paris?"))
                .toolSpecifications(weather).build());
        assertNotNull(r.aiMessage());
        assertTrue(r.tokenUsage().inputTokenCount() > 100, "the tool definition is in the prompt: "
                + r.tokenUsage().inputTokenCount());
    }

    @Test
    void langChain4jOllamaChatModel() throws Exception {
        try (LlamaServer open = TestModels.serve(ServerConfig.of(TestModels.tiny(), 0, 1, 512))) {
            ChatModel model = OllamaChatModel.builder().baseUrl(open.uri().toString()).modelName("tiny-random")
                    .temperature(0.0).numPredict(8).repeatPenalty(1.0).build();
            ChatResponse r = model.chat(ChatRequest.builder().messages(UserMessage.from("hello ollama client")).build());
            assertEquals(referenceGreedy("hello ollama client", 8), r.aiMessage().text());
            assertEquals(8, r.tokenUsage().outputTokenCount());
        }
    }
}
