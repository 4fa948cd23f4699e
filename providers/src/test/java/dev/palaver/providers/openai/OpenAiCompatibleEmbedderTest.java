package dev.palaver.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.palaver.providers.http.Http1Client;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.http.ProviderException;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.http.ProviderFailure;
import dev.palaver.providers.testing.Leaks;
import dev.palaver.providers.testing.LoopbackServer;
import dev.palaver.providers.testing.Ports;
import dev.palaver.providers.testing.Waits;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class OpenAiCompatibleEmbedderTest {

    private static final String KEY = "sk-embed-Qm4Tz8Wc1Xv6Bn3Lp0Rs";
    private static final Duration T = Duration.ofMillis(300);
    private static final Duration SLACK = Duration.ofMillis(1500);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final HttpTimeouts TIMEOUTS = new HttpTimeouts(T, T, T, Duration.ofSeconds(5));

    private LoopbackServer server;
    private OpenAiCompatibleEmbedder embedder;

    private Set<String> threadsBefore;

    @BeforeEach
    void start() {
        threadsBefore = Leaks.httpClientThreads();
        server = LoopbackServer.start();
    }

    /** Every test ends with the embedder closed and nothing of it left: threads, requests, connections. */
    @AfterEach
    void stopAndCheckForLeaks() {
        try {
            if (embedder != null) {
                embedder.close();
                assertThat(embedder.openRequests()).isZero();
            }
            assertThat(Leaks.noNewHttpClientThreads(threadsBefore, WAIT)).as("HTTP client threads ended").isTrue();
            // Connections of completed answers idle in the process-wide pool; every other one must be closed.
            Http1Client.closeIdleConnections(server.url(""));
            assertThat(server.awaitNoOpenConnections(WAIT)).as("connections closed").isTrue();
        } finally {
            server.close();
        }
    }

    private OpenAiEmbeddingConfig.Builder config(URI root) {
        return OpenAiEmbeddingConfig.builder(URI.create(root + "/v1"), "text-embedding-3-small", 3)
                .apiKey(KEY).timeouts(TIMEOUTS);
    }

    private OpenAiCompatibleEmbedder embedder(OpenAiEmbeddingConfig.Builder config) {
        embedder = new OpenAiCompatibleEmbedder(config.build());
        return embedder;
    }

    private OpenAiCompatibleEmbedder embedder() {
        return embedder(config(server.url("")));
    }

    /** A response with one 3-float vector per index, listed in the given order. */
    private static String vectors(int... indexes) {
        ObjectNode root = Json.object().put("object", "list").put("model", "text-embedding-3-small");
        ArrayNode data = root.putArray("data");
        for (int i : indexes) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            item.putArray("embedding").add(i + 0.5f).add(-i).add(0.25f);
        }
        return Json.write(root);
    }

    private ProviderFailure failure(Duration limit) {
        long start = System.nanoTime();
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> embedder.embed(List.of("hello")));
        assertThat(e).as("a ProviderException").isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThanOrEqualTo(limit.plus(SLACK));
        assertThat(e.getMessage()).isEqualTo(e.failure().safeMessage()).doesNotContain(KEY).doesNotContain("Bearer");
        assertThat(e.getCause()).isNull();
        assertThat(Waits.until(() -> embedder.openRequests() == 0, WAIT)).isTrue();
        return e.failure();
    }

    @Test
    void embedsABatchInInputOrder() {
        server.enqueue(LoopbackServer.Response.json(vectors(1, 0)));
        float[][] out = embedder(config(server.url("")).header("X-Team", "kb")).embed(List.of("first", "second"));
        assertThat(out).hasDimensions(2, 3);
        assertThat(out[0]).containsExactly(0.5f, 0f, 0.25f);
        assertThat(out[1]).containsExactly(1.5f, -1f, 0.25f);
        assertThat(embedder.dimension()).isEqualTo(3);

        LoopbackServer.Recorded request = server.takeRequest();
        assertThat(request.path()).isEqualTo("/v1/embeddings");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.header("X-Team")).isEqualTo("kb");
        assertThat(Json.tryParse(request.body())).isEqualTo(Json.tryParse(
                "{\"model\":\"text-embedding-3-small\",\"input\":[\"first\",\"second\"],\"encoding_format\":\"float\"}"));
    }

    @Test
    void dimensionsAreRequestedWhenConfigured() {
        server.enqueue(LoopbackServer.Response.json(vectors(0)));
        embedder(config(server.url("")).requestDimensions(true)).embed("one");
        assertThat(Json.tryParse(server.takeRequest().body()).path("dimensions").asInt()).isEqualTo(3);
    }

    @Test
    void largeInputsAreSentInBatches() {
        server.enqueue(LoopbackServer.Response.json(vectors(0, 1)));
        server.enqueue(LoopbackServer.Response.json(vectors(0)));
        float[][] out = embedder(config(server.url("")).maxBatchSize(2)).embed(List.of("a", "b", "c"));
        assertThat(out[2]).containsExactly(0.5f, 0f, 0.25f);
        assertThat(Json.tryParse(server.takeRequest().body()).path("input").size()).isEqualTo(2);
        assertThat(Json.tryParse(server.takeRequest().body()).path("input").size()).isEqualTo(1);
    }

    @Test
    void noInputsMeansNoRequest() {
        assertThat(embedder().embed(List.of())).isEmpty();
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void base64VectorsAreDecoded() {
        ByteBuffer bytes = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(2f).putFloat(-3f);
        server.enqueue(LoopbackServer.Response.json("{\"data\":[{\"index\":0,\"embedding\":\""
                + Base64.getEncoder().encodeToString(bytes.array()) + "\"}]}"));
        assertThat(embedder().embed("x")).containsExactly(1f, 2f, -3f);
    }

    @Test
    void itemsWithoutIndexesKeepTheirOrder() {
        server.enqueue(LoopbackServer.Response.json("{\"data\":[{\"embedding\":[1,1,1]},{\"embedding\":[2,2,2]}]}"));
        float[][] out = embedder().embed(List.of("a", "b"));
        assertThat(out[0]).containsExactly(1f, 1f, 1f);
        assertThat(out[1]).containsExactly(2f, 2f, 2f);
    }

    @Test
    void nonNumericVectorsAreMalformed() {
        server.enqueue(LoopbackServer.Response.json("{\"data\":[{\"index\":0,\"embedding\":[1,\"two\",3]}]}"));
        server.enqueue(LoopbackServer.Response.json("{\"data\":[{\"index\":0,\"embedding\":\"not base64!\"}]}"));
        embedder();
        assertThat(failure(T).kind()).isEqualTo(Kind.MALFORMED);
        assertThat(failure(T).kind()).isEqualTo(Kind.MALFORMED);
    }

    @Test
    void unauthorizedIsAnAuthFailure() {
        server.enqueue(LoopbackServer.Response.status(401).fixedLength()
                .write("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\",\"code\":\"invalid_api_key\"}}"));
        embedder();
        ProviderFailure f = failure(T);
        assertThat(f.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(f.safeMessage()).contains("401").contains("invalid_api_key");
    }

    @Test
    void forbiddenIsAPermissionFailure() {
        server.enqueue(LoopbackServer.Response.status(403).fixedLength().write("{}"));
        embedder();
        assertThat(failure(T).kind()).isEqualTo(Kind.PERMISSION);
    }

    @Test
    void rateLimitCarriesRetryAfter() {
        server.enqueue(LoopbackServer.Response.status(429).header("Retry-After", "3").fixedLength().write("{}"));
        embedder();
        ProviderFailure f = failure(T);
        assertThat(f.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(f.retryAfter()).contains(Duration.ofSeconds(3));
    }

    @Test
    void serverErrorsAreServerFailures() {
        server.enqueue(LoopbackServer.Response.status(500).fixedLength().write("oops"));
        server.enqueue(LoopbackServer.Response.status(503).fixedLength().write("{\"error\":{\"type\":\"overloaded\"}}"));
        embedder();
        assertThat(failure(T).kind()).isEqualTo(Kind.SERVER_ERROR);
        ProviderFailure second = failure(T);
        assertThat(second.kind()).isEqualTo(Kind.SERVER_ERROR);
        assertThat(second.safeMessage()).contains("503").contains("overloaded");
    }

    @Test
    void connectTimeoutEndsInTime() throws Exception {
        try (Ports.Blackhole hole = new Ports.Blackhole()) {
            embedder(config(URI.create("http://127.0.0.1:" + hole.port())));
            ProviderFailure f = failure(T);
            assertThat(f.kind()).isEqualTo(Kind.CONNECT_TIMEOUT);
            assertThat(f.safeMessage()).contains("connect");
        }
    }

    @Test
    void refusedConnectionIsAConnectionFailure() {
        embedder(config(URI.create("http://127.0.0.1:" + Ports.closed())));
        assertThat(failure(T).kind()).isEqualTo(Kind.CONNECT_FAILED);
    }

    @Test
    void noResponseEndsOnTheFirstByteTimeout() {
        server.enqueue(LoopbackServer.Response.noResponse());
        embedder();
        ProviderFailure f = failure(T.plus(T));
        assertThat(f.kind()).isEqualTo(Kind.FIRST_BYTE_TIMEOUT);
        assertThat(server.awaitNoOpenConnections(WAIT)).isTrue();
    }

    @Test
    void stallMidBodyEndsOnTheIdleGap() {
        server.enqueue(LoopbackServer.Response.status(200).header("Content-Type", "application/json").fixedLength()
                .write("{\"data\":[{\"index\":0,").stall());
        embedder();
        ProviderFailure f = failure(T.plus(T));
        assertThat(f.kind()).isEqualTo(Kind.IDLE_TIMEOUT);
        assertThat(f.safeMessage()).contains("idle");
        assertThat(server.awaitNoOpenConnections(WAIT)).isTrue();
    }

    @Test
    void droppedConnectionIsTruncated() {
        server.enqueue(LoopbackServer.Response.status(200).fixedLength().write("{\"data\":[{\"index\":0,").drop());
        embedder();
        assertThat(failure(T).kind()).isEqualTo(Kind.TRUNCATED);
    }

    @Test
    void malformedJsonIsMalformed() {
        server.enqueue(LoopbackServer.Response.json("{\"data\":[{\"index\":0,\"embedding\":[1,2,"));
        embedder();
        assertThat(failure(T).kind()).isEqualTo(Kind.MALFORMED);
    }

    @Test
    void emptyBodyIsAnEmptyResponse() {
        server.enqueue(LoopbackServer.Response.status(200).fixedLength());
        embedder();
        assertThat(failure(T).kind()).isEqualTo(Kind.EMPTY);
    }

    @Test
    void wrongDimensionIsMalformed() {
        server.enqueue(LoopbackServer.Response.json("{\"data\":[{\"index\":0,\"embedding\":[1,2]}]}"));
        embedder();
        ProviderFailure f = failure(T);
        assertThat(f.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(f.safeMessage()).contains("2 dimensions, expected 3");
    }

    @Test
    void missingOrRepeatedVectorsAreMalformed() {
        server.enqueue(LoopbackServer.Response.json(vectors(0, 0)));
        server.enqueue(LoopbackServer.Response.json(vectors(0)));
        embedder();
        assertThatThrownBy(() -> embedder.embed(List.of("a", "b")))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED));
        assertThatThrownBy(() -> embedder.embed(List.of("a", "b")))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED));
    }

    @Test
    void errorObjectInASuccessfulResponseIsAServerFailure() {
        server.enqueue(LoopbackServer.Response.json("{\"error\":{\"message\":\"model crashed\",\"type\":\"server_error\"}}"));
        embedder();
        ProviderFailure f = failure(T);
        assertThat(f.kind()).isEqualTo(Kind.SERVER_ERROR);
        assertThat(f.safeMessage()).contains("server_error").doesNotContain("crashed");
    }

    @Test
    void interruptingTheCallerCancelsTheRequest() throws Exception {
        server.enqueue(LoopbackServer.Response.noResponse());
        embedder(config(server.url("")).timeouts(new HttpTimeouts(T, Duration.ofSeconds(30), T, Duration.ofSeconds(60))));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                embedder.embed("hello");
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        server.takeRequest();
        caller.interrupt();
        caller.join(WAIT);
        assertThat(thrown.get()).isInstanceOf(CancellationException.class);
        assertThat(server.awaitNoOpenConnections(WAIT)).isTrue();
        assertThat(Waits.until(() -> embedder.openRequests() == 0, WAIT)).isTrue();
    }

    @Test
    void closingLeavesNoThreadAndNoConnectionOutsideThePool() {
        Set<String> before = Leaks.httpClientThreads();
        server.enqueue(LoopbackServer.Response.json(vectors(0)));
        embedder().embed("warm up");
        // A completed request leaves no thread; its connection idles in the process-wide pool.
        assertThat(Leaks.noNewHttpClientThreads(before, WAIT)).isTrue();
        assertThat(server.openConnections()).isEqualTo(1);
        embedder.close();
        assertThat(Leaks.noNewHttpClientThreads(before, WAIT)).isTrue();
        Http1Client.closeIdleConnections(server.url(""));
        assertThat(server.awaitNoOpenConnections(WAIT)).isTrue();
        assertThatThrownBy(() -> embedder.embed("after close"))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CLOSED));
    }
}
