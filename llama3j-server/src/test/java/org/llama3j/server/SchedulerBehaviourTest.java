package org.llama3j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.llama3j.server.scheduler.SchedulerConfig;
import org.llama3j.server.scheduler.SchedulerStats;

/** Continuous batching under load: real batches, a bounded queue (429), cancellation on disconnect. */
class SchedulerBehaviourTest {

    static ObjectNode streaming(String user, int maxTokens) {
        ObjectNode req = Http.chat("tiny-random", user);
        req.put("max_tokens", maxTokens);
        req.put("stream", true);
        req.put("seed", 3);
        return req;
    }

    @Test
    void eightConcurrentStreamsCompleteAndAreDecodedInBatches() throws Exception {
        // a short pause per step keeps the eight requests overlapping even on a loaded machine
        SchedulerConfig sc = new SchedulerConfig(8, 256, 16, 256, Duration.ofMillis(2));
        try (LlamaServer server = TestModels.serve(ServerConfig.of(TestModels.tiny(), 0, 8, 256).withScheduler(sc))) {
            Http http = new Http(server.uri());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CyclicBarrier start = new CyclicBarrier(8);
            try {
                List<Future<List<JsonNode>>> streams = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String user = "request number " + i;
                    streams.add(pool.submit(() -> {
                        start.await();
                        return http.sse("/v1/chat/completions", streaming(user, 40));
                    }));
                }
                for (Future<List<JsonNode>> f : streams) {
                    List<JsonNode> events = f.get();
                    JsonNode last = events.getLast().get("choices").get(0);
                    assertTrue(!last.get("finish_reason").isNull(), last.toString());
                }
            } finally {
                pool.shutdown();
            }
            SchedulerStats stats = server.host().current().scheduler().stats();
            assertEquals(8, stats.finished());
            assertTrue(stats.maxBatch() > 1, "largest decode batch was " + stats.maxBatch());
            assertTrue(stats.batchedTokens() > stats.decodeSteps(), "mean batch size must exceed 1");
            assertTrue(http.get("/metrics").body().contains("llama3j_batch_size_max " + stats.maxBatch()));
        }
    }

    @Test
    void fullQueueAnswers429AndCancelledStreamFreesItsSlot() throws Exception {
        // one slot, one queue place, slow steps: request A holds the slot, B waits, C is refused
        SchedulerConfig sc = new SchedulerConfig(1, 256, 1, 256, Duration.ofMillis(20));
        try (LlamaServer server = TestModels.serve(ServerConfig.of(TestModels.tiny(), 0, 1, 256).withScheduler(sc))) {
            Http http = new Http(server.uri());
            SchedulerStats stats = server.host().current().scheduler().stats();

            HttpResponse<InputStream> a = http.open("/v1/chat/completions", streaming("A", 200));
            BufferedReader aLines = new BufferedReader(new InputStreamReader(a.body(), StandardCharsets.UTF_8));
            assertTrue(aLines.readLine().startsWith("data: "), "A streams");
            assertEquals(1, stats.active());

            ObjectNode b = Http.chat("tiny-random", "B");
            b.put("max_tokens", 3);
            CompletableFuture<Http.Reply> bReply = CompletableFuture.supplyAsync(() -> http.post("/v1/chat/completions", b));
            for (int i = 0; i < 500 && server.host().current().scheduler().queueDepth() == 0; i++) {
                Thread.sleep(10);
            }
            assertEquals(1, server.host().current().scheduler().queueDepth(), "B waits in the queue");

            Http.Reply c = http.post("/v1/chat/completions", b);
            assertEquals(429, c.status(), c.body());
            assertEquals("queue_full", c.json().get("error").get("code").asText());

            a.body().close(); // the client of A goes away mid-stream
            Http.Reply bDone = bReply.get();
            assertEquals(200, bDone.status(), bDone.body());
            assertEquals(1, stats.cancelled(), "A was cancelled, not run to its 200 tokens");
            assertTrue(stats.generatedTokens() < 200 + 3, "generated " + stats.generatedTokens());
            assertEquals(0, stats.active());
            assertEquals(1, stats.rejected());
        }
    }

    @Test
    void blockingAnswersSendWhitespaceHeartbeatsAndStayValidJson() throws Exception {
        SchedulerConfig sc = new SchedulerConfig(1, 256, 4, 256, Duration.ofMillis(20));
        ServerConfig config = ServerConfig.of(TestModels.tiny(), 0, 1, 256).withScheduler(sc)
                .withHeartbeat(Duration.ofMillis(30));
        try (LlamaServer server = TestModels.serve(config)) {
            Http http = new Http(server.uri());
            ObjectNode req = Http.chat("tiny-random", "heartbeat");
            req.put("max_tokens", 12);
            req.put("temperature", 0);
            Http.Reply r = http.post("/v1/chat/completions", req);
            assertEquals(200, r.status());
            assertTrue(r.body().startsWith(" "), "heartbeats precede the JSON: '" + r.body().substring(0, 5) + "'");
            JsonNode body = r.json();
            JsonNode choice = body.get("choices").get(0);
            int tokens = body.get("usage").get("completion_tokens").asInt();
            assertTrue(choice.get("finish_reason").asText().equals("length") ? tokens == 12 : tokens < 12, body.toString());
            assertEquals("chat.completion", body.get("object").asText());
        }
    }

    @Test
    void aBlockingRequestWhoseClientLeftIsCancelled() throws Exception {
        SchedulerConfig sc = new SchedulerConfig(1, 512, 4, 256, Duration.ofMillis(20));
        ServerConfig config = ServerConfig.of(TestModels.tiny(), 0, 1, 512).withScheduler(sc)
                .withHeartbeat(Duration.ofMillis(50));
        try (LlamaServer server = TestModels.serve(config)) {
            SchedulerStats stats = server.host().current().scheduler().stats();
            String body = "{\"model\":\"tiny-random\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                    + "\"max_tokens\":400}";
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
                socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("HTTP/1.1 200 OK", in.readLine(), "the first heartbeat commits a 200");
            } // the client goes away before the answer
            for (int i = 0; i < 400 && stats.cancelled() == 0 && stats.finished() == 0; i++) {
                Thread.sleep(25);
            }
            assertEquals(1, stats.cancelled(), "cancelled after a failed heartbeat, not run to 400 tokens");
            assertTrue(stats.generatedTokens() < 400, "generated " + stats.generatedTokens());
            assertEquals(0, stats.active());
        }
    }
}
