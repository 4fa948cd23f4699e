package dev.palaver.providers.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.providers.http.Http1Client;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.SystemMessage;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.UserMessage;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.http.ProviderFailure;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fault and lifecycle tests every streaming language model provider must pass, against a real loopback
 * HTTP server. Subclasses supply the wire format. Timeouts are 300 ms; "in time" means within the
 * configured limit plus {@link #SLACK}.
 */
public abstract class LanguageModelFaultContract {

    protected static final String KEY = "sk-test-Zq8uR2vX9pL4mN7bK3jH6gF1dS5aW0eY";
    protected static final String SECRET_HEADER_VALUE = "org-secret-7Hc2Lp9Qw";
    protected static final Duration T = Duration.ofMillis(300);
    protected static final Duration SLACK = Duration.ofMillis(1500);
    protected static final Duration WAIT = Duration.ofSeconds(5);
    protected static final HttpTimeouts TIMEOUTS = new HttpTimeouts(T, T, T, Duration.ofSeconds(5));

    protected static final LlmRequest REQUEST = new LlmRequest(
            List.of(new SystemMessage("You are a front desk."), new UserMessage("Hello?")), List.of());

    /** A provider under test, how to count its open streams, and how to close it. */
    public record Subject(LanguageModel model, IntSupplier openStreams, AutoCloseable closer) {
    }

    protected LoopbackServer server;
    private final List<Subject> subjects = new ArrayList<>();

    /** A provider whose base URL points at {@code root} (scheme, host and port only). */
    protected abstract Subject create(URI root, HttpTimeouts timeouts, Map<String, String> extraHeaders);

    /** The request path the provider posts to. */
    protected abstract String path();

    /** Events before any content (no text). */
    protected abstract String begin();

    /** One event carrying a text delta. */
    protected abstract String textDelta(String delta);

    /** Events that complete the reply normally. */
    protected abstract String end();

    /** Events of one complete tool call whose arguments arrive in {@code fragments}. */
    protected abstract String toolCall(String id, String name, List<String> fragments);

    /** An error event inside the stream that the provider reports as a server failure. */
    protected abstract String streamError();

    /** An HTTP error body carrying {@code code}. */
    protected abstract String errorBody(String code);

    /** Asserts the request carried {@link #KEY} the provider's way. */
    protected abstract void assertKeySent(LoopbackServer.Recorded request);

    private Set<String> threadsBefore;

    @BeforeEach
    void startServer() {
        threadsBefore = Leaks.httpClientThreads();
        server = LoopbackServer.start();
    }

    /** Every test ends with its providers closed and nothing of theirs left: threads, streams, connections. */
    @AfterEach
    void stopAllAndCheckForLeaks() throws Exception {
        try {
            for (Subject s : subjects) {
                s.closer().close();
            }
            assertThat(Leaks.noNewHttpClientThreads(threadsBefore, WAIT)).as("HTTP client threads ended").isTrue();
            for (Subject s : subjects) {
                assertThat(s.openStreams().getAsInt()).as("open streams after close").isZero();
            }
            // Connections of completed answers idle in the process-wide pool; every other one must be closed.
            Http1Client.closeIdleConnections(server.url(""));
            assertThat(server.awaitNoOpenConnections(WAIT)).as("connections closed after close").isTrue();
        } finally {
            server.close();
        }
    }

    protected final Subject subject() {
        return subject(server.url(""), TIMEOUTS);
    }

    protected final Subject subject(URI root, HttpTimeouts timeouts) {
        Subject s = create(root, timeouts, Map.of("X-Trace", "abc", "OpenAI-Organization", SECRET_HEADER_VALUE));
        subjects.add(s);
        return s;
    }

    protected final ClassifyingListener run(Subject s) {
        ClassifyingListener listener = new ClassifyingListener();
        s.model().stream(REQUEST, listener);
        return listener;
    }

    /** The stream ended in exactly one classified failure of {@code kind}, in time, without secrets. */
    protected final ProviderFailure assertFailed(ClassifyingListener listener, Kind kind, Duration limit) {
        listener.awaitTerminal(limit.plus(SLACK).plus(WAIT));
        ProviderFailure failure = listener.failure();
        assertThat(failure.kind()).as(failure.safeMessage()).isEqualTo(kind);
        assertThat(listener.terminalCount()).isEqualTo(1);
        assertThat(listener.elapsed()).isLessThanOrEqualTo(limit.plus(SLACK));
        assertNoSecret(failure.safeMessage());
        return failure;
    }

    protected static void assertNoSecret(String text) {
        assertThat(text).doesNotContain(KEY).doesNotContain(KEY.substring(8)).doesNotContain(SECRET_HEADER_VALUE)
                .doesNotContainIgnoringCase("bearer");
    }

    /**
     * Nothing is left open: no exchange, no connection at the server in the middle of one (a cancelled
     * HTTP/1.1 exchange closes its connection; a completed one may stay pooled, idle, for the next request).
     */
    protected final void assertReleased(Subject s) {
        assertThat(Waits.until(() -> s.openStreams().getAsInt() == 0, WAIT))
                .as("open streams").isTrue();
        assertThat(server.awaitNoBusyConnections(WAIT)).as("no connection left mid-exchange").isTrue();
    }

    @Test
    public void textStreamsInOrderThenDone() {
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("Hello"))
                .write(textDelta(", how")).write(textDelta(" can I help?")).write(end()));
        Subject s = subject();
        ClassifyingListener listener = run(s);
        listener.awaitTerminal(WAIT);
        assertThat(listener.deltas()).containsExactly("Hello", ", how", " can I help?");
        assertThat(listener.done()).isTrue();
        LoopbackServer.Recorded request = server.takeRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(path());
        assertThat(Waits.until(() -> s.openStreams().getAsInt() == 0, WAIT)).isTrue();
    }

    @Test
    public void keyAndExtraHeadersAreSent() {
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(end()));
        run(subject()).awaitTerminal(WAIT);
        LoopbackServer.Recorded request = server.takeRequest();
        assertKeySent(request);
        assertThat(request.header("X-Trace")).isEqualTo("abc");
        assertThat(request.header("OpenAI-Organization")).isEqualTo(SECRET_HEADER_VALUE);
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Accept")).isEqualTo("text/event-stream");
        // Plain-http servers get HTTP/1.1 straight away, without an h2c upgrade attempt.
        assertThat(request.header("Upgrade")).isNull();
        assertThat(request.header("HTTP2-Settings")).isNull();
    }

    @Test
    public void redirectsAreNotFollowed() {
        server.enqueue(LoopbackServer.Response.status(307).header("Location", server.url("/elsewhere").toString())
                .fixedLength().write(""));
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(end()));
        ProviderFailure failure = assertFailed(run(subject()), Kind.BAD_REQUEST, T);
        assertThat(failure.safeMessage()).contains("307");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    public void errorBodiesAreReadOnlyUpToABound() {
        String padded = errorBody("huge_error").replace("Something about it", "x".repeat(64 * 1024));
        server.enqueue(LoopbackServer.Response.status(500).fixedLength().write(padded));
        ProviderFailure failure = assertFailed(run(subject()), Kind.SERVER_ERROR, T);
        assertThat(failure.safeMessage()).doesNotContain("huge_error");
    }

    @Test
    public void unauthorizedIsAnAuthFailure() {
        server.enqueue(LoopbackServer.Response.status(401).fixedLength().write(errorBody("invalid_api_key")));
        Subject s = subject();
        ProviderFailure failure = assertFailed(run(s), Kind.AUTHENTICATION, T);
        assertThat(failure.safeMessage()).contains("401").contains("invalid_api_key");
        assertThat(failure.retryAfter()).isEmpty();
    }

    @Test
    public void forbiddenIsAPermissionFailure() {
        server.enqueue(LoopbackServer.Response.status(403).fixedLength().write(errorBody("permission_error")));
        ProviderFailure failure = assertFailed(run(subject()), Kind.PERMISSION, T);
        assertThat(failure.safeMessage()).contains("403");
    }

    @Test
    public void rateLimitCarriesRetryAfter() {
        server.enqueue(LoopbackServer.Response.status(429).header("Retry-After", "7").fixedLength()
                .write(errorBody("rate_limit_exceeded")));
        ProviderFailure failure = assertFailed(run(subject()), Kind.RATE_LIMITED, T);
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(failure.safeMessage()).contains("429").contains("rate_limit_exceeded");
    }

    @Test
    public void internalServerErrorIsAServerFailure() {
        server.enqueue(LoopbackServer.Response.status(500).fixedLength().write(errorBody("server_error")));
        ProviderFailure failure = assertFailed(run(subject()), Kind.SERVER_ERROR, T);
        assertThat(failure.safeMessage()).contains("500");
    }

    @Test
    public void unavailableIsAServerFailureWithRetryAfter() {
        server.enqueue(LoopbackServer.Response.status(503).header("Retry-After", "2").fixedLength()
                .write("<html>upstream unavailable</html>"));
        ProviderFailure failure = assertFailed(run(subject()), Kind.SERVER_ERROR, T);
        assertThat(failure.safeMessage()).contains("503").doesNotContain("html");
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(2));
    }

    @Test
    public void connectTimeoutEndsInTime() throws Exception {
        try (Ports.Blackhole hole = new Ports.Blackhole()) {
            Subject s = subject(URI.create("http://127.0.0.1:" + hole.port()), TIMEOUTS);
            ProviderFailure failure = assertFailed(run(s), Kind.CONNECT_TIMEOUT, T);
            assertThat(failure.safeMessage()).contains("connect");
            assertThat(Waits.until(() -> s.openStreams().getAsInt() == 0, WAIT)).isTrue();
        }
    }

    @Test
    public void refusedConnectionIsAConnectionFailure() {
        Subject s = subject(URI.create("http://127.0.0.1:" + Ports.closed()), TIMEOUTS);
        assertFailed(run(s), Kind.CONNECT_FAILED, T);
        assertThat(Waits.until(() -> s.openStreams().getAsInt() == 0, WAIT)).isTrue();
    }

    @Test
    public void noResponseEndsOnTheFirstByteTimeout() {
        server.enqueue(LoopbackServer.Response.noResponse());
        Subject s = subject();
        ProviderFailure failure = assertFailed(run(s), Kind.FIRST_BYTE_TIMEOUT, T.plus(T));
        assertThat(failure.safeMessage()).contains("first-byte");
        assertReleased(s);
    }

    @Test
    public void headersThenSilenceEndsOnTheFirstByteTimeout() {
        server.enqueue(LoopbackServer.Response.sse().stall());
        Subject s = subject();
        ProviderFailure failure = assertFailed(run(s), Kind.FIRST_BYTE_TIMEOUT, T.plus(T));
        assertThat(failure.safeMessage()).contains("first-byte");
        assertReleased(s);
    }

    @Test
    public void stallMidStreamEndsOnTheIdleGap() {
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("Let me")).stall());
        Subject s = subject();
        ClassifyingListener listener = run(s);
        listener.awaitFirstText(WAIT);
        long textAt = System.nanoTime();
        ProviderFailure failure = assertFailed(listener, Kind.IDLE_TIMEOUT, Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - textAt)).isLessThanOrEqualTo(T.plus(SLACK));
        assertThat(failure.safeMessage()).contains("idle");
        assertThat(listener.deltas()).containsExactly("Let me");
        assertReleased(s);
    }

    @Test
    public void slowButNeverEndingStreamEndsOnTheTotalCap() {
        HttpTimeouts timeouts = new HttpTimeouts(T, T, T, Duration.ofSeconds(1));
        server.enqueue(LoopbackServer.Response.sse().write(begin()).repeat(": keep-alive\n\n", Duration.ofMillis(50)));
        Subject s = subject(server.url(""), timeouts);
        ProviderFailure failure = assertFailed(run(s), Kind.TOTAL_TIMEOUT, Duration.ofSeconds(1));
        assertThat(failure.safeMessage()).contains("total");
        assertReleased(s);
    }

    @Test
    public void droppedConnectionIsATruncatedStream() {
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("Half a")).drop());
        Subject s = subject();
        ClassifyingListener listener = run(s);
        assertFailed(listener, Kind.TRUNCATED, T);
        assertThat(listener.deltas()).containsExactly("Half a");
        assertReleased(s);
    }

    @Test
    public void bodyEndingWithoutTheEndMarkerIsATruncatedStream() {
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("Half a")));
        Subject s = subject();
        assertFailed(run(s), Kind.TRUNCATED, T);
        assertThat(Waits.until(() -> s.openStreams().getAsInt() == 0, WAIT)).isTrue();
    }

    @Test
    public void malformedJsonInAChunkIsMalformed() {
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("Fine"))
                .write("data: {\"choices\": [{\"delta\": \n\n").stall());
        Subject s = subject();
        ClassifyingListener listener = run(s);
        assertFailed(listener, Kind.MALFORMED, T);
        assertThat(listener.deltas()).containsExactly("Fine");
        assertReleased(s);
    }

    @Test
    public void toolArgumentsThatAreNotJsonArePassedThrough() {
        server.enqueue(LoopbackServer.Response.sse().write(begin())
                .write(toolCall("call_1", "lookup_customer", List.of("{\"phone\": ", "+1 555")))
                .write(end()));
        ClassifyingListener listener = run(subject());
        listener.awaitTerminal(WAIT);
        assertThat(listener.done()).isTrue();
        assertThat(listener.toolCalls()).containsExactly(new ToolCall("call_1", "lookup_customer", "{\"phone\": +1 555"));
    }

    @Test
    public void emptyBodyIsAnEmptyResponse() {
        server.enqueue(LoopbackServer.Response.sse());
        assertFailed(run(subject()), Kind.EMPTY, T);
    }

    @Test
    public void bodyThatIsNotAnEventStreamIsMalformed() {
        server.enqueue(LoopbackServer.Response.sse().write("<html>captive portal</html>"));
        ProviderFailure failure = assertFailed(run(subject()), Kind.MALFORMED, T);
        assertThat(failure.safeMessage()).doesNotContain("captive");
    }

    @Test
    public void errorEventInTheStreamIsAServerFailure() {
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("I"))
                .write(streamError()).stall());
        Subject s = subject();
        ClassifyingListener listener = run(s);
        assertFailed(listener, Kind.SERVER_ERROR, T);
        assertThat(listener.deltas()).containsExactly("I");
        assertReleased(s);
    }

    @Test
    public void plainListenerGetsTheSafeMessageAsOnError() {
        server.enqueue(LoopbackServer.Response.status(401).fixedLength().write(errorBody("invalid_api_key")));
        RecordingListener listener = new RecordingListener();
        subject().model().stream(REQUEST, listener);
        listener.awaitTerminal(WAIT);
        assertThat(listener.error()).contains("HTTP 401").contains("authentication failed");
        assertNoSecret(listener.error());
    }

    @Test
    public void serverEchoingTheKeyNeverLeaksIt() {
        server.enqueue(LoopbackServer.Response.status(401).fixedLength()
                .write("{\"error\":{\"code\":\"" + KEY + "\",\"type\":\"" + KEY + "\",\"message\":\"Incorrect API key provided: "
                        + KEY + "\"}}"));
        ProviderFailure failure = assertFailed(run(subject()), Kind.AUTHENTICATION, T);
        assertThat(failure.safeMessage()).contains("[redacted]");
    }

    @Test
    public void closeStopsListenerCallsAndClosesTheConnection() {
        CountDownLatch closed = new CountDownLatch(1);
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("First"))
                .await(closed).write(textDelta("Second")).write(end()));
        Subject s = subject();
        ClassifyingListener listener = new ClassifyingListener();
        LanguageModel.Stream stream = s.model().stream(REQUEST, listener);
        listener.awaitFirstText(WAIT);
        stream.close();
        closed.countDown();
        assertReleased(s);
        assertThat(listener.events()).containsExactly(new RecordingListener.Text("First"));
        stream.close();
    }

    @Test
    public void closeFromInsideTheListenerStopsTheStream() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // Both deltas arrive in one chunk: the second must not be delivered after the close.
        server.enqueue(LoopbackServer.Response.sse().await(started).write(begin())
                .write(textDelta("Only") + textDelta("Never")).await(closed).write(end()));
        Subject s = subject();
        LanguageModel.Stream[] stream = new LanguageModel.Stream[1];
        ClassifyingListener listener = new ClassifyingListener();
        listener.onTextDo(t -> stream[0].close());
        stream[0] = s.model().stream(REQUEST, listener);
        started.countDown();
        listener.awaitFirstText(WAIT);
        closed.countDown();
        assertReleased(s);
        assertThat(listener.events()).containsExactly(new RecordingListener.Text("Only"));
    }

    @Test
    public void closeBeforeTheResponseCancelsTheRequest() {
        server.enqueue(LoopbackServer.Response.noResponse());
        Subject s = subject(server.url(""), new HttpTimeouts(T, Duration.ofSeconds(30), T, Duration.ofSeconds(60)));
        ClassifyingListener listener = new ClassifyingListener();
        LanguageModel.Stream stream = s.model().stream(REQUEST, listener);
        server.takeRequest();
        stream.close();
        assertReleased(s);
        assertThat(listener.events()).isEmpty();
    }

    @Test
    public void closeAfterDoneChangesNothing() {
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("Hi")).write(end()));
        ClassifyingListener listener = new ClassifyingListener();
        LanguageModel.Stream stream = subject().model().stream(REQUEST, listener);
        listener.awaitTerminal(WAIT);
        stream.close();
        stream.close();
        assertThat(listener.done()).isTrue();
        assertThat(listener.terminalCount()).isEqualTo(1);
    }

    @Test
    public void listenerThatThrowsGetsOneErrorAndTheStreamStops() {
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("Boom")).stall());
        Subject s = subject();
        ClassifyingListener listener = new ClassifyingListener();
        listener.onTextDo(t -> {
            throw new IllegalStateException("listener bug");
        });
        s.model().stream(REQUEST, listener);
        assertFailed(listener, Kind.MALFORMED, T);
        assertReleased(s);
    }

    @Test
    public void completedStreamsReuseTheConnection() {
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("One")).write(end()));
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("Two")).write(end()));
        Subject s = subject();
        ClassifyingListener first = run(s);
        first.awaitTerminal(WAIT);
        assertThat(Waits.until(() -> s.openStreams().getAsInt() == 0, WAIT)).isTrue();
        ClassifyingListener second = run(s);
        second.awaitTerminal(WAIT);
        assertThat(first.text()).isEqualTo("One");
        assertThat(second.text()).isEqualTo("Two");
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    public void closingTheProviderFailsOpenStreamsAndClosesTheirConnections() throws Exception {
        Set<String> before = Leaks.httpClientThreads();
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("Still")).stall());
        Subject s = create(server.url(""), TIMEOUTS, Map.of());
        subjects.add(s);
        ClassifyingListener listener = run(s);
        listener.awaitFirstText(WAIT);
        assertThat(server.busyConnections()).isEqualTo(1);
        s.closer().close();
        assertFailed(listener, Kind.CLOSED, Duration.ofSeconds(5));
        assertThat(Leaks.noNewHttpClientThreads(before, WAIT)).as("no HTTP client thread beyond the shared ones")
                .isTrue();
        assertReleased(s);
        assertThat(server.openConnections()).as("the stalled stream's connection is closed").isZero();
        ClassifyingListener after = run(s);
        assertThat(after.failure().kind()).isEqualTo(Kind.CLOSED);
    }

    @Test
    public void closingOneProviderLeavesAnotherProvidersStreamRunning() throws Exception {
        CountDownLatch more = new CountDownLatch(1);
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("Mine")).stall());
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("Other")).await(more)
                .write(textDelta(" goes on")).write(end()));
        Subject closing = create(server.url(""), TIMEOUTS, Map.of());
        Subject staying = subject();
        subjects.add(closing);
        ClassifyingListener mine = run(closing);
        mine.awaitFirstText(WAIT);
        ClassifyingListener other = run(staying);
        other.awaitFirstText(WAIT);

        closing.closer().close();
        assertFailed(mine, Kind.CLOSED, Duration.ofSeconds(5));
        more.countDown();
        other.awaitTerminal(WAIT);
        assertThat(other.done()).isTrue();
        assertThat(other.text()).isEqualTo("Other goes on");
    }

    @Test
    public void providersShareTheClientAndItsPooledConnections() {
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("One")).write(end()));
        server.enqueue(LoopbackServer.Response.sse().write(begin()).write(textDelta("Two")).write(end()));
        Subject first = create(server.url(""), TIMEOUTS, Map.of());
        subjects.add(first);
        ClassifyingListener one = run(first);
        one.awaitTerminal(WAIT);
        assertThat(Waits.until(() -> first.openStreams().getAsInt() == 0, WAIT)).isTrue();
        Subject second = create(server.url(""), TIMEOUTS, Map.of());
        subjects.add(second);
        ClassifyingListener two = run(second);
        two.awaitTerminal(WAIT);
        assertThat(one.text()).isEqualTo("One");
        assertThat(two.text()).isEqualTo("Two");
        assertThat(server.acceptedConnections()).as("the second provider reused the first's connection")
                .isEqualTo(1);
    }
}
