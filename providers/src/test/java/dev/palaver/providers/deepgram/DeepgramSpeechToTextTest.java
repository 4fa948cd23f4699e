package dev.palaver.providers.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.stt.SpeechToText;
import dev.palaver.media.time.SystemScheduler;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.speechtest.Await;
import dev.palaver.providers.speechtest.Blackhole;
import dev.palaver.providers.speechtest.LogCapture;
import dev.palaver.providers.speechtest.RecordingRecognitionListener;
import dev.palaver.providers.speechtest.ScriptedHttpServer;
import dev.palaver.providers.speechtest.Tones;
import dev.palaver.providers.testing.Leaks;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.java_websocket.framing.CloseFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeepgramSpeechToTextTest {

    private static final String KEY = "dg-test-SECRET-90c1f3aa77";
    private static final HttpTimeouts TIMEOUTS =
            new HttpTimeouts(Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofMillis(1500), Duration.ofSeconds(30));
    private static final Duration SLACK = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private SystemScheduler scheduler;
    private FakeDeepgramServer deepgram;
    private final List<DeepgramSpeechToText> created = new ArrayList<>();
    private Set<String> clientThreadsBefore;

    @BeforeEach
    void start() throws Exception {
        clientThreadsBefore = Leaks.httpClientThreads();
        scheduler = new SystemScheduler();
        deepgram = new FakeDeepgramServer();
    }

    @AfterEach
    void stop() throws Exception {
        for (DeepgramSpeechToText stt : created) {
            stt.close();
        }
        deepgram.stop(2000);
        scheduler.close();
        assertThat(Await.until(SLACK, () -> {
            Set<String> now = new HashSet<>(Leaks.httpClientThreads());
            now.removeAll(clientThreadsBefore);
            return now.isEmpty();
        })).as("HttpClient threads left behind").isTrue();
    }

    private DeepgramSpeechToText.Builder builder(URI base) {
        return DeepgramSpeechToText.builder(ApiKey.of(KEY), scheduler)
                .baseUrl(base)
                .timeouts(TIMEOUTS)
                .keepAliveInterval(Duration.ofSeconds(4))
                .finalizeGrace(Duration.ofMillis(250));
    }

    private DeepgramSpeechToText stt(DeepgramSpeechToText.Builder b) {
        DeepgramSpeechToText stt = b.build();
        created.add(stt);
        return stt;
    }

    private SpeechToText.Stream openStream(RecordingRecognitionListener listener) throws InterruptedException {
        SpeechToText.Stream stream = stt(builder(deepgram.baseUri())).open(listener);
        assertThat(deepgram.awaitOpen(WAIT)).isTrue();
        // Audio arriving proves the client's side open too.
        stream.push(frame(99));
        assertThat(Await.until(WAIT, () -> deepgram.audio().length > 0)).isTrue();
        return stream;
    }

    private static short[] frame(int i) {
        return Tones.sine(200 + 10 * i, 16_000, 320, 0.3);
    }

    @Test
    void connectsWithTheTokenAndTheStreamingParametersAndSendsThePcmAsPushed() throws Exception {
        SpeechToText.Stream stream = stt(builder(deepgram.baseUri()).model("nova-3").language("en-US")
                .endpointingMillis(300).parameter("smart_format", "true")).open(RecordingRecognitionListener.classified());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        // Pushed before the socket is open: queued, then sent in order.
        for (int i = 0; i < 30; i++) {
            stream.push(frame(i));
            expected.writeBytes(Tones.bytes(frame(i)));
        }
        assertThat(deepgram.awaitOpen(WAIT)).isTrue();
        for (int i = 30; i < 60; i++) {
            stream.push(frame(i));
            expected.writeBytes(Tones.bytes(frame(i)));
        }
        assertThat(Await.until(WAIT, () -> deepgram.audio().length == expected.size())).isTrue();

        assertThat(deepgram.audio()).isEqualTo(expected.toByteArray());
        assertThat(deepgram.authorization).isEqualTo("Token " + KEY);
        assertThat(deepgram.resource).isEqualTo("/v1/listen?model=nova-3&encoding=linear16&sample_rate=16000"
                + "&channels=1&interim_results=true&endpointing=300&language=en-US&smart_format=true");
        stream.close();
    }

    @Test
    void interimResultsArePartialsAndFinalResultsAreFinalsInOrder() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = openStream(listener);
        stream.push(frame(0));
        deepgram.send(FakeDeepgramServer.results("", false, false, false));
        deepgram.send(FakeDeepgramServer.results("I'd like", false, false, false));
        deepgram.send(FakeDeepgramServer.results("I'd like to book", false, false, false));
        deepgram.send(FakeDeepgramServer.results(" I'd like to book a table. ", true, false, false));
        deepgram.send("{\"type\":\"SpeechStarted\",\"channel\":[0],\"timestamp\":1.5}");
        deepgram.send(FakeDeepgramServer.results("for two", false, false, false));
        deepgram.send(FakeDeepgramServer.results("for two", true, true, false));
        deepgram.send("{\"type\":\"UtteranceEnd\",\"channel\":[0,1],\"last_word_end\":2.1}");
        deepgram.send(FakeDeepgramServer.results("", true, true, false));

        assertThat(listener.awaitEvent("final:for two", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("partial:I'd like", "partial:I'd like to book",
                "final:I'd like to book a table.", "partial:for two", "final:for two");
        stream.close();
    }

    @Test
    void endOfSpeechSendsFinalizeAndTheFromFinalizeResultIsTheFlushedFinal() throws Exception {
        deepgram.onText = (conn, text) -> {
            if (text.contains("\"Finalize\"")) {
                conn.send(FakeDeepgramServer.results("at seven", true, false, false));
                conn.send(FakeDeepgramServer.results("please", true, true, true));
            }
        };
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = openStream(listener);
        stream.push(frame(0));
        stream.endOfSpeech();

        assertThat(listener.awaitEvent("flushed:", WAIT)).isTrue();
        assertThat(deepgram.count("Finalize")).isEqualTo(1);
        assertThat(listener.events()).containsExactly("final:at seven", "flushed:please");
        // No second flushed final once the grace is over.
        assertThat(listener.awaitEvents("flushed:", 2, Duration.ofMillis(600))).isFalse();
        stream.close();
    }

    @Test
    void finalizeThatDeepgramDoesNotAnswerGetsAnEmptyFlushedFinalOnceDeepgramIsKnownAlive() throws Exception {
        // Deepgram sends no from_finalize result when it had nothing left to process.
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = openStream(listener);
        long start = System.nanoTime();
        stream.endOfSpeech();

        assertThat(listener.awaitEvent("flushed:", WAIT)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(listener.events()).containsExactly("flushed:");
        assertThat(deepgram.count("Finalize")).isEqualTo(1);
        assertThat(deepgram.pings.get()).isGreaterThanOrEqualTo(1);
        stream.close();
    }

    @Test
    void aFromFinalizeResultAfterTheGraceIsAPlainFinalNotASecondFlushed() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = openStream(listener);
        stream.push(frame(0));
        stream.endOfSpeech();
        assertThat(listener.awaitEvent("flushed:", WAIT)).isTrue();
        deepgram.send(FakeDeepgramServer.results("late", true, true, true));

        assertThat(listener.awaitEvent("final:late", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("flushed:", "final:late");
        stream.close();
    }

    @Test
    void messagesSplitIntoFragmentsAreJoinedBeforeTheyAreRead() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = openStream(listener);
        String message = FakeDeepgramServer.results("in three pieces", true, false, false);
        int third = message.length() / 3;
        deepgram.connection.sendFragmentedFrame(org.java_websocket.enums.Opcode.TEXT,
                java.nio.ByteBuffer.wrap(message.substring(0, third).getBytes(java.nio.charset.StandardCharsets.UTF_8)), false);
        deepgram.connection.sendFragmentedFrame(org.java_websocket.enums.Opcode.TEXT,
                java.nio.ByteBuffer.wrap(message.substring(third, 2 * third).getBytes(java.nio.charset.StandardCharsets.UTF_8)), false);
        deepgram.connection.sendFragmentedFrame(org.java_websocket.enums.Opcode.TEXT,
                java.nio.ByteBuffer.wrap(message.substring(2 * third).getBytes(java.nio.charset.StandardCharsets.UTF_8)), true);

        assertThat(listener.awaitEvent("final:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("final:in three pieces");
        stream.close();
    }

    @Test
    void aMessageFarLargerThanDeepgramSendsIsMalformed() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        openStream(listener);
        deepgram.send("{\"type\":\"Metadata\",\"pad\":\"" + "x".repeat(DeepgramSpeechToText.MAX_MESSAGE_CHARS) + "\"}");

        assertThat(listener.awaitEvent("failure:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("failure:MALFORMED");
        assertThat(deepgram.awaitNoOpenConnections(SLACK)).isTrue();
    }

    @Test
    void everyEndOfSpeechGetsExactlyOneFlushedFinalInOrder() throws Exception {
        int[] finalizes = {0};
        deepgram.onText = (conn, text) -> {
            if (text.contains("\"Finalize\"") && finalizes[0]++ == 0) {
                conn.send(FakeDeepgramServer.results("first", true, true, true));
            }
        };
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = openStream(listener);
        stream.push(frame(0));
        stream.endOfSpeech();
        stream.push(frame(1));
        stream.endOfSpeech();

        assertThat(listener.awaitEvents("flushed:", 2, WAIT)).isTrue();
        assertThat(listener.awaitEvents("flushed:", 3, Duration.ofMillis(600))).isFalse();
        assertThat(listener.events()).containsExactly("flushed:first", "flushed:");
        stream.close();
    }

    @Test
    void keepAliveGoesOutWhileNoAudioFlowsAndNotWhileItDoes() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = stt(builder(deepgram.baseUri()).keepAliveInterval(Duration.ofMillis(300)))
                .open(listener);
        assertThat(deepgram.awaitOpen(WAIT)).isTrue();

        // Audio every 20 ms for 1.2 s: no keep-alive needed.
        long until = System.nanoTime() + Duration.ofMillis(1200).toNanos();
        for (int i = 0; System.nanoTime() < until; i++) {
            stream.push(frame(i));
            LockSupport.parkNanos(20_000_000L);
        }
        assertThat(deepgram.count("KeepAlive")).isZero();

        // Then silence on the wire: keep-alives, as text frames.
        assertThat(Await.until(WAIT, () -> deepgram.count("KeepAlive") >= 3)).isTrue();
        assertThat(deepgram.texts).allMatch(t -> t.equals("{\"type\":\"KeepAlive\"}"));
        assertThat(listener.events()).isEmpty();
        stream.close();
    }

    @Test
    void closeSendsCloseStreamThenClosesTheSocketAndTheListenerHearsNothingMore() throws Exception {
        deepgram.onText = (conn, text) -> {
            if (text.contains("CloseStream")) {
                conn.send(FakeDeepgramServer.results("late words", true, true, false));
                conn.send("{\"type\":\"Metadata\",\"request_id\":\"r-1\"}");
                conn.close(CloseFrame.NORMAL);
            }
        };
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = openStream(listener);
        stream.push(frame(0));
        stream.endOfSpeech();
        stream.close();
        listener.markClosed();
        stream.close();

        assertThat(deepgram.awaitNoOpenConnections(Duration.ofSeconds(2))).as("socket closed promptly: %s %s %s",
                deepgram.opened, deepgram.closed, deepgram.texts).isTrue();
        assertThat(Await.until(WAIT, () -> deepgram.count("CloseStream") == 1)).isTrue();
        assertThat(listener.events()).isEmpty();
        assertThat(listener.eventsAfterClose()).isEmpty();
        stream.push(frame(1));
        stream.endOfSpeech();
        assertThat(deepgram.count("Finalize")).isLessThanOrEqualTo(1);
    }

    @ParameterizedTest(name = "handshake HTTP {0} is {1}")
    @CsvSource({
        "401, AUTHENTICATION, ",
        "403, PERMISSION, ",
        "429, RATE_LIMITED, 11",
        "500, SERVER_ERROR, ",
        "503, SERVER_ERROR, 3",
    })
    void refusedHandshakesAreClassified(int status, Kind kind, Integer retryAfter) throws Exception {
        try (ScriptedHttpServer http = new ScriptedHttpServer((r, x) -> {
            String body = "{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials " + KEY + "\"}";
            if (retryAfter == null) {
                x.respond(status, body, "Content-Type: application/json");
            } else {
                x.respond(status, body, "Content-Type: application/json", "Retry-After: " + retryAfter);
            }
        })) {
            RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
            stt(builder(URI.create("ws://127.0.0.1:" + http.port()))).open(listener);

            assertThat(listener.awaitEvent("failure:", WAIT)).isTrue();
            assertThat(listener.events()).containsExactly("failure:" + kind);
            assertThat(listener.failure().httpStatus()).isEqualTo(status);
            assertThat(listener.failure().retryAfter()).isEqualTo(Optional.ofNullable(retryAfter).map(Duration::ofSeconds));
            // Deepgram's error code, never its free text.
            assertThat(listener.failure().safeMessage()).contains("INVALID_AUTH").doesNotContain("Invalid credentials")
                    .doesNotContain(KEY);
            assertThat(http.requests().getFirst().header("Authorization")).isEqualTo("Token " + KEY);
            assertThat(http.requests().getFirst().header("Upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(http.awaitNoOpenConnections(SLACK)).isTrue();
        }
    }

    @Test
    void refusedConnectionFailsAtOnce() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        stt(builder(Blackhole.refusedUri("ws"))).open(listener);

        assertThat(listener.awaitEvent("failure:", TIMEOUTS.connect().plus(SLACK))).isTrue();
        assertThat(listener.events()).containsExactly("failure:CONNECT_FAILED");
    }

    @Test
    void connectThatHangsTimesOut() throws Exception {
        try (Blackhole hole = new Blackhole()) {
            RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
            HttpTimeouts timeouts = new HttpTimeouts(TIMEOUTS.connect(), Duration.ofSeconds(20), TIMEOUTS.idle(),
                    TIMEOUTS.total());
            stt(builder(hole.uri("ws")).timeouts(timeouts)).open(listener);

            assertThat(listener.awaitEvent("failure:", TIMEOUTS.connect().plus(SLACK))).isTrue();
            assertThat(listener.events()).containsExactly("failure:CONNECT_TIMEOUT");
        }
    }

    @Test
    void handshakeThatIsNeverAnsweredTimesOutAndReleasesTheConnection() throws Exception {
        try (ScriptedHttpServer http = new ScriptedHttpServer((r, x) -> x.holdUntilClientCloses(Duration.ofSeconds(10)))) {
            RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
            stt(builder(URI.create("ws://127.0.0.1:" + http.port()))).open(listener);

            assertThat(listener.awaitEvent("failure:", TIMEOUTS.firstByte().plus(SLACK))).isTrue();
            assertThat(listener.events()).containsExactly("failure:FIRST_BYTE_TIMEOUT");
            assertThat(http.awaitNoOpenConnections(SLACK)).isTrue();
            assertThat(http.closedByClient()).isEqualTo(1);
        }
    }

    @Test
    void deepgramGoingSilentIsAStallWithinTheIdleGap() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = openStream(listener);
        deepgram.send(FakeDeepgramServer.results("hello", false, false, false));
        assertThat(listener.awaitEvent("partial:hello", WAIT)).isTrue();
        deepgram.answerPings = false;
        long start = System.nanoTime();
        stream.push(frame(0));
        stream.endOfSpeech();

        assertThat(listener.awaitEvent("failure:", TIMEOUTS.idle().plus(SLACK))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUTS.idle().plus(SLACK));
        // A dead server is not taken for one with nothing to finalize.
        assertThat(listener.events()).containsExactly("partial:hello", "failure:IDLE_TIMEOUT");
        assertThat(deepgram.pings.get()).isGreaterThanOrEqualTo(1);
        assertThat(deepgram.awaitNoOpenConnections(SLACK)).isTrue();
    }

    @Test
    void aQuietButLiveConnectionIsNotAStall() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = openStream(listener);
        // Three idle gaps with no results: the pings are answered, so nothing is wrong.
        assertThat(listener.awaitEvent("failure:", TIMEOUTS.idle().multipliedBy(3))).as("%s", listener.events()).isFalse();
        assertThat(deepgram.pings.get()).isGreaterThanOrEqualTo(2);
        stream.close();
    }

    @Test
    void socketDroppedWithoutACloseFrameIsTruncated() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        openStream(listener);
        deepgram.connection.closeConnection(CloseFrame.ABNORMAL_CLOSE, "gone");

        assertThat(listener.awaitEvent("failure:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("failure:TRUNCATED");
        assertThat(listener.failure().retryable()).isTrue();
    }

    @ParameterizedTest(name = "close code {0} is {1}")
    @CsvSource({
        "1011, SERVER_ERROR",
        "1008, BAD_REQUEST",
        "1000, TRUNCATED",
    })
    void deepgramClosingTheStreamIsClassifiedByItsCode(int code, Kind kind) throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        openStream(listener);
        deepgram.connection.close(code, "NET-0001 no audio received " + KEY);

        assertThat(listener.awaitEvent("failure:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("failure:" + kind);
        assertThat(listener.failure().safeMessage()).contains("code " + code).contains("NET-0001")
                .doesNotContain("no audio received").doesNotContain(KEY);
        assertThat(deepgram.awaitNoOpenConnections(SLACK)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"Results\",\"is_final\":tru",
        "[1,2,3]",
        "{\"is_final\":true}",
        "{\"type\":\"Results\",\"is_final\":true,\"channel\":{\"alternatives\":[]}}",
        "{\"type\":\"Results\",\"is_final\":true,\"channel\":{\"alternatives\":[{\"confidence\":1}]}}",
    })
    void malformedMessagesFailTheStreamAndCloseTheSocket(String message) throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = openStream(listener);
        deepgram.send(FakeDeepgramServer.results("before", false, false, false));
        deepgram.send(message);
        // The client may close the socket as soon as it reads the malformed message.
        deepgram.sendIfOpen(FakeDeepgramServer.results("after", true, false, false));

        assertThat(listener.awaitEvent("failure:", WAIT)).isTrue();
        assertThat(listener.awaitEvent("final:after", Duration.ofMillis(300))).isFalse();
        assertThat(listener.events()).containsExactly("partial:before", "failure:MALFORMED");
        assertThat(listener.failure().retryable()).isFalse();
        assertThat(deepgram.awaitNoOpenConnections(SLACK)).isTrue();
        stream.push(frame(0));
        stream.endOfSpeech();
        stream.close();
        assertThat(listener.events()).hasSize(2);
    }

    @Test
    void anErrorMessageFailsTheStreamWithDeepgramsErrorCode() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.plain();
        openStream(listener);
        deepgram.send("{\"type\":\"Error\",\"description\":\"Failed to decode audio for " + KEY + "\",\"variant\":\"DATA-0000\"}");

        assertThat(listener.awaitEvent("error:", WAIT)).isTrue();
        assertThat(listener.error()).isEqualTo("Deepgram STT: server error: DATA-0000");
    }

    @Test
    void audioThatCannotGoOutFailsOnceTheQueueIsFull() throws Exception {
        try (ScriptedHttpServer http = new ScriptedHttpServer((r, x) -> x.holdUntilClientCloses(Duration.ofSeconds(10)))) {
            RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
            SpeechToText.Stream stream = stt(builder(URI.create("ws://127.0.0.1:" + http.port()))
                    .maxQueuedAudio(Duration.ofMillis(200))).open(listener);
            for (int i = 0; i < 10; i++) {
                stream.push(frame(i));
            }
            assertThat(listener.events()).isEmpty();
            stream.push(frame(10));

            assertThat(listener.events()).containsExactly("failure:IDLE_TIMEOUT");
            assertThat(http.awaitNoOpenConnections(SLACK)).isTrue();
        }
    }

    @Test
    void aStreamOpenPastItsTotalCapIsEnded() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        stt(builder(deepgram.baseUri()).timeouts(new HttpTimeouts(TIMEOUTS.connect(), TIMEOUTS.firstByte(),
                TIMEOUTS.idle(), Duration.ofMillis(1200)))).open(listener);

        assertThat(listener.awaitEvent("failure:", Duration.ofMillis(1200).plus(SLACK))).isTrue();
        assertThat(listener.events()).containsExactly("failure:TOTAL_TIMEOUT");
        assertThat(deepgram.awaitNoOpenConnections(SLACK)).isTrue();
    }

    @Test
    void closingTheProviderClosesItsStreamsAndItsThreads() throws Exception {
        DeepgramSpeechToText stt = builder(deepgram.baseUri()).build();
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = stt.open(listener);
        assertThat(deepgram.awaitOpen(WAIT)).isTrue();
        stream.push(frame(0));
        assertThat(stt.openStreams()).isEqualTo(1);

        stt.close();
        listener.markClosed();

        assertThat(stt.openStreams()).isZero();
        assertThat(deepgram.awaitNoOpenConnections(SLACK)).isTrue();
        assertThat(Await.until(SLACK, () -> {
            Set<String> now = new HashSet<>(Leaks.httpClientThreads());
            now.removeAll(clientThreadsBefore);
            return now.isEmpty();
        })).isTrue();
        assertThat(listener.eventsAfterClose()).isEmpty();
    }

    @Test
    void theKeyNeverReachesALogLineOrAMessage() throws Exception {
        try (LogCapture logs = new LogCapture();
                ScriptedHttpServer http = new ScriptedHttpServer((r, x) -> x.respond(401, "bad key " + KEY))) {
            RecordingRecognitionListener refused = RecordingRecognitionListener.plain();
            DeepgramSpeechToText stt = stt(builder(URI.create("ws://127.0.0.1:" + http.port())));
            stt.open(refused);
            assertThat(refused.awaitEvent("error:", WAIT)).isTrue();

            RecordingRecognitionListener broken = RecordingRecognitionListener.plain();
            openStream(broken);
            deepgram.send("not json " + KEY);
            assertThat(broken.awaitEvent("error:", WAIT)).isTrue();

            assertThat(logs.lines()).isNotEmpty().noneMatch(l -> l.contains(KEY));
            assertThat(refused.error()).doesNotContain(KEY);
            assertThat(broken.error()).doesNotContain(KEY);
            assertThat(stt.toString()).doesNotContain(KEY);
        }
    }

    private static void pushPaced(SpeechToText.Stream stream, int from, int to, ByteArrayOutputStream sent) {
        for (int i = from; i < to; i++) {
            stream.push(frame(i));
            sent.writeBytes(Tones.bytes(frame(i)));
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    @Test
    void audioGoesOutInEightyMillisecondMessagesInOrder() throws Exception {
        SpeechToText.Stream stream = stt(builder(deepgram.baseUri()).audioBatch(Duration.ofMillis(80)))
                .open(RecordingRecognitionListener.classified());
        assertThat(deepgram.awaitOpen(WAIT)).isTrue();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        pushPaced(stream, 0, 20, expected);

        assertThat(Await.until(WAIT, () -> deepgram.audio().length == expected.size())).isTrue();
        assertThat(deepgram.audio()).isEqualTo(expected.toByteArray());
        // 80 ms of 16 kHz PCM16 is 2560 bytes: four 20 ms frames a message.
        assertThat(deepgram.audioMessageSizes()).containsExactly(2560, 2560, 2560, 2560, 2560);
        stream.close();
    }

    @Test
    void byDefaultEachFrameGoesOutAsItsOwnMessage() throws Exception {
        SpeechToText.Stream stream = stt(builder(deepgram.baseUri())).open(RecordingRecognitionListener.classified());
        assertThat(deepgram.awaitOpen(WAIT)).isTrue();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        pushPaced(stream, 0, 6, expected);

        assertThat(Await.until(WAIT, () -> deepgram.audio().length == expected.size())).isTrue();
        assertThat(deepgram.audio()).isEqualTo(expected.toByteArray());
        assertThat(deepgram.audioMessageSizes()).containsExactly(640, 640, 640, 640, 640, 640);
        stream.close();
    }

    @Test
    void finalizeSendsTheGatheredAudioAtOnceAndFirst() throws Exception {
        SpeechToText.Stream stream = stt(builder(deepgram.baseUri()).audioBatch(Duration.ofSeconds(1)))
                .open(RecordingRecognitionListener.classified());
        assertThat(deepgram.awaitOpen(WAIT)).isTrue();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        pushPaced(stream, 0, 2, expected);
        long asked = System.nanoTime();
        stream.endOfSpeech();

        assertThat(Await.until(WAIT, () -> deepgram.count("Finalize") == 1)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("not held for the 1 s batch")
                .isLessThan(Duration.ofMillis(700));
        assertThat(deepgram.arrivals).containsExactly("audio:1280", "text:Finalize");
        assertThat(deepgram.audio()).isEqualTo(expected.toByteArray());
        stream.close();
    }

    @Test
    void aPartBatchGoesOutAfterOneBatchPeriodWithoutAudio() throws Exception {
        SpeechToText.Stream stream = stt(builder(deepgram.baseUri()).audioBatch(Duration.ofMillis(300)))
                .open(RecordingRecognitionListener.classified());
        assertThat(deepgram.awaitOpen(WAIT)).isTrue();
        long pushed = System.nanoTime();
        stream.push(frame(1));

        assertThat(Await.until(WAIT, () -> deepgram.audio().length == 640)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - pushed)).as("held for one batch period")
                .isGreaterThanOrEqualTo(Duration.ofMillis(290));
        assertThat(deepgram.audioMessageSizes()).containsExactly(640);
        stream.close();
    }

    @Test
    void closeSendsTheGatheredAudioBeforeCloseStream() throws Exception {
        SpeechToText.Stream stream = stt(builder(deepgram.baseUri()).audioBatch(Duration.ofSeconds(1)))
                .open(RecordingRecognitionListener.classified());
        assertThat(deepgram.awaitOpen(WAIT)).isTrue();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        pushPaced(stream, 0, 1, expected);
        stream.endOfSpeech();
        assertThat(Await.until(WAIT, () -> deepgram.count("Finalize") == 1)).isTrue();
        pushPaced(stream, 1, 3, expected);
        stream.close();

        assertThat(Await.until(WAIT, () -> deepgram.count("CloseStream") == 1)).isTrue();
        assertThat(deepgram.arrivals).containsExactly("audio:640", "text:Finalize", "audio:1280", "text:CloseStream");
        assertThat(deepgram.audio()).isEqualTo(expected.toByteArray());
    }

    @Test
    void closingOneProviderLeavesAnotherProvidersStreamOpen() throws Exception {
        DeepgramSpeechToText closing = stt(builder(deepgram.baseUri()));
        DeepgramSpeechToText staying = stt(builder(deepgram.baseUri()).audioBatch(Duration.ZERO));
        RecordingRecognitionListener mine = RecordingRecognitionListener.classified();
        RecordingRecognitionListener other = RecordingRecognitionListener.classified();
        closing.open(mine);
        assertThat(Await.until(WAIT, () -> deepgram.opened.get() == 1)).isTrue();
        SpeechToText.Stream stream = staying.open(other);
        assertThat(Await.until(WAIT, () -> deepgram.opened.get() == 2)).isTrue();

        closing.close();
        assertThat(Await.until(WAIT, () -> deepgram.openConnections() == 1)).isTrue();
        stream.push(frame(1));
        assertThat(Await.until(WAIT, () -> deepgram.audio().length == 640)).isTrue();
        assertThat(staying.openStreams()).isEqualTo(1);
        assertThat(other.events()).isEmpty();
        stream.close();
    }
}
