package org.llama3j.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.llama3j.Llama;
import org.llama3j.chat.Message;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.generate.GenerationResult;
import org.llama3j.generate.SamplingParams;
import org.llama3j.generate.TokenListener;
import org.llama3j.model.ModelShape;
import org.llama3j.model.RandomModelWriter;
import org.llama3j.tensor.DType;

/**
 * The adapters against the library they wrap: a tiny random model with the real Llama 3 vocabulary
 * must answer through LangChain4j exactly what {@link Llama#generate} answers for the same chat prompt.
 */
class LlamaChatModelTest {
    static final Path VOCAB = Path.of("../llama3j-core/src/test/resources/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf");
    static Llama llama;

    @BeforeAll
    static void load() throws Exception {
        Path dir = Files.createTempDirectory("llama3j-lc4j");
        Path model = dir.resolve("tiny.gguf");
        try (GgufFile v = GgufReader.open(VOCAB)) {
            RandomModelWriter.write(model, new ModelShape(64, 2, 4, 2, 128, 2048, 500000f, 1e-5f, null, true), v,
                    DType.F32, 7);
        }
        llama = Llama.load(model);
        model.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
    }

    @AfterAll
    static void close() {
        llama.close();
    }

    static GenerationResult reference(List<Message> messages, int max) {
        int[] prompt = llama.chatFormat().encodeDialogPrompt(messages);
        return llama.generate(prompt, max, SamplingParams.GREEDY, List.of(), TokenListener.NONE, () -> false);
    }

    static ChatRequest request(int max) {
        return ChatRequest.builder()
                .messages(SystemMessage.from("Be brief."), UserMessage.from("Hello there"))
                .temperature(0.0).maxOutputTokens(max).build();
    }

    @Test
    void answersWhatTheLibraryAnswersForTheSameChatPrompt() {
        GenerationResult ref = reference(List.of(Message.system("Be brief."), Message.user("Hello there")), 12);
        assertFalse(ref.text().isEmpty());
        ChatResponse r = LlamaChatModel.builder(llama).modelName("tiny").build().chat(request(12));
        assertEquals(ref.text(), r.aiMessage().text());
        assertEquals(ref.inputTokens().length, r.tokenUsage().inputTokenCount());
        assertEquals(ref.tokens().length, r.tokenUsage().outputTokenCount());
        assertEquals(ref.finishReason() == org.llama3j.generate.FinishReason.LENGTH ? FinishReason.LENGTH : FinishReason.STOP,
                r.finishReason());
        assertEquals("tiny", r.modelName());
    }

    @Test
    void streamsThePiecesOfTheSameAnswer() throws Exception {
        GenerationResult ref = reference(List.of(Message.system("Be brief."), Message.user("Hello there")), 12);
        StringBuilder pieces = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        LlamaStreamingChatModel.of(llama).chat(request(12), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                pieces.append(partial);
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
        assertEquals(ref.text(), pieces.toString());
        assertEquals(ref.text(), r.aiMessage().text());
        assertEquals(ref.tokens().length, r.tokenUsage().outputTokenCount());
    }

    @Test
    void stopSequencesAndBudgetsApply() {
        GenerationResult ref = reference(List.of(Message.user("Hello there")), 20);
        String text = ref.text();
        assertTrue(text.length() > 4, text);
        String stop = text.substring(2, 4);
        ChatRequest req = ChatRequest.builder().messages(UserMessage.from("Hello there")).temperature(0.0)
                .maxOutputTokens(20).stopSequences(List.of(stop)).build();
        ChatResponse r = LlamaChatModel.builder(llama).build().chat(req);
        assertEquals(text.substring(0, text.indexOf(stop)), r.aiMessage().text());
        assertEquals(FinishReason.STOP, r.finishReason());
        ChatResponse one = LlamaChatModel.builder(llama).build().chat(request(1));
        assertEquals(1, one.tokenUsage().outputTokenCount());
    }

    @Test
    void unsupportedInputsFailClearly() {
        ChatRequest image = ChatRequest.builder().messages(UserMessage.from(TextContent.from("what is this?"),
                ImageContent.from("https://example.com/cat.png"))).build();
        var e = assertThrows(UnsupportedFeatureException.class, () -> LlamaChatModel.builder(llama).build().chat(image));
        assertTrue(e.getMessage().contains("messages[0]") && e.getMessage().contains("IMAGE"), e.getMessage());
        ChatRequest json = ChatRequest.builder().messages(UserMessage.from("hi"))
                .responseFormat(dev.langchain4j.model.chat.request.ResponseFormat.JSON).build();
        assertThrows(UnsupportedFeatureException.class, () -> LlamaChatModel.builder(llama).build().chat(json));
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        LlamaStreamingChatModel.of(llama).chat(image, new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(ChatResponse response) {
                failed.complete(null);
            }

            @Override
            public void onError(Throwable error) {
                failed.complete(error);
            }
        });
        assertTrue(failed.join() instanceof UnsupportedFeatureException);
    }
}
