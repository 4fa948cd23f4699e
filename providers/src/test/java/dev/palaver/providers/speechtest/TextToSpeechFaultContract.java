package dev.palaver.providers.speechtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.time.SystemScheduler;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.http.ProviderFailure;
import dev.palaver.providers.speechhttp.PcmStreamDecoder;
import dev.palaver.providers.testing.Leaks;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What every HTTP speech-synthesis provider must do, against a real HTTP server on loopback: stream and
 * convert audio, send its credentials the vendor's way, and end every fault in its classified failure
 * within the configured (short) timeouts, with the connection closed and nothing delivered after close.
 */
public abstract class TextToSpeechFaultContract {

    protected static final String KEY = "sk-test-SECRET-4f7c2a9e1b";
    protected static final HttpTimeouts TIMEOUTS =
            new HttpTimeouts(Duration.ofMillis(500), Duration.ofMillis(1200), Duration.ofMillis(800), Duration.ofMillis(3500));
    /** Slack on top of a timeout for the failure to arrive, generous for a loaded 2-core machine. */
    protected static final Duration SLACK = Duration.ofSeconds(3);
    protected static final String PCM = "Content-Type: application/octet-stream";

    protected SystemScheduler scheduler;
    protected ScriptedHttpServer server;
    private Set<String> clientThreadsBefore;
    private final List<AutoCloseable> created = new ArrayList<>();

    /** A provider talking to {@code baseUrl}, asking for {@code wireRate} audio where it can choose. */
    protected abstract TextToSpeech create(URI baseUrl, ApiKey key, HttpTimeouts timeouts, int wireRate);

    /** The rate the provider asks for by default. */
    protected abstract int defaultWireRate();

    /** Checks method, path, query, credentials and body of a request for {@code text}. */
    protected abstract void assertRequest(ScriptedHttpServer.Request request, String text, int wireRate);

    /** The provider's limit on one request's text. */
    protected abstract int maxChars();

    @BeforeEach
    public void startServer() throws Exception {
        clientThreadsBefore = Leaks.httpClientThreads();
        scheduler = new SystemScheduler();
        server = new ScriptedHttpServer((r, x) -> x.respond(500, "unscripted"));
    }

    @AfterEach
    public void stopAll() throws Exception {
        for (AutoCloseable c : created) {
            c.close();
        }
        server.close();
        scheduler.close();
        assertThat(Await.until(SLACK, () -> {
            Set<String> now = new HashSet<>(Leaks.httpClientThreads());
            now.removeAll(clientThreadsBefore);
            return now.isEmpty();
        })).as("HttpClient threads left behind").isTrue();
    }

    protected TextToSpeech provider() {
        return provider(server.baseUri(), TIMEOUTS, defaultWireRate());
    }

    protected TextToSpeech provider(URI base, HttpTimeouts timeouts, int wireRate) {
        TextToSpeech tts = create(base, ApiKey.of(KEY), timeouts, wireRate);
        created.add((AutoCloseable) tts);
        return tts;
    }

    @Test
    public void streamsEachChunkAsItArrivesAndEndsWithDone() throws Exception {
        int rate = defaultWireRate();
        short[] tone = Tones.sine(440, rate, rate / 2, 0.5);
        byte[] wire = Tones.bytes(tone);
        CountDownLatch clientHeardFirstChunk = new CountDownLatch(1);
        // Odd sizes: samples straddle chunk boundaries.
        int[] cuts = {1001, 2003, 3006, 3009, 3010, wire.length};
        server.script((r, x) -> {
            x.startChunked(200, PCM);
            x.chunk(Arrays.copyOfRange(wire, 0, cuts[0]));
            clientHeardFirstChunk.await(5, TimeUnit.SECONDS);
            for (int i = 1; i < cuts.length; i++) {
                x.chunk(Arrays.copyOfRange(wire, cuts[i - 1], cuts[i]));
            }
            x.endChunks();
        });
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider().synthesize("Hello there.", listener);

        assertThat(listener.awaitAudio(Duration.ofSeconds(5))).as("first chunk before the rest was sent").isTrue();
        clientHeardFirstChunk.countDown();
        assertThat(listener.awaitEnd(Duration.ofSeconds(5))).isTrue();

        assertThat(listener.events()).last().isEqualTo("done");
        assertThat(listener.events()).filteredOn("audio"::equals).hasSizeGreaterThan(1);
        assertThat(listener.audio()).isEqualTo(decodeWhole(wire, rate));
        short[] out = listener.audio();
        assertThat(Tones.frequency(out, AudioFormat.SAMPLE_RATE, 400, out.length - 400)).isCloseTo(440, within(0.5));
        assertThat(server.awaitNoOpenConnections(SLACK)).isTrue();
    }

    @Test
    public void convertsTwentyFourKilohertzAudioToSixteenKeepingItsFrequency() throws Exception {
        short[] tone = Tones.sine(1000, 24_000, 12_000, 0.5);
        byte[] wire = Tones.bytes(tone);
        server.script((r, x) -> {
            x.startChunked(200, PCM);
            for (int at = 0; at < wire.length; at += 4001) {
                x.chunk(Arrays.copyOfRange(wire, at, Math.min(wire.length, at + 4001)));
            }
            x.endChunks();
        });
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider(server.baseUri(), TIMEOUTS, 24_000).synthesize("A tone.", listener);

        assertThat(listener.awaitEnd(Duration.ofSeconds(5))).isTrue();
        assertThat(listener.events()).last().isEqualTo("done");
        short[] out = listener.audio();
        // Half a second at 24 kHz is half a second at 16 kHz (plus the filter's short tail).
        assertThat(out.length).isBetween(8_000, 8_000 + 200);
        assertThat(Tones.frequency(out, 16_000, 400, 7_600)).isCloseTo(1000, within(0.5));
        assertThat(Tones.rms(out, 400, 7_600)).isCloseTo(0.5 / Math.sqrt(2), within(0.01));
        assertRequest(server.requests().getFirst(), "A tone.", 24_000);
    }

    @Test
    public void sendsTheVendorsRequestWithTheKeyInItsHeader() throws Exception {
        server.script((r, x) -> x.respond(200, Tones.bytes(Tones.sine(300, 16_000, 1600, 0.3)), PCM));
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider().synthesize("Your appointment is at 3 pm, \"sharp\".", listener);

        assertThat(listener.awaitEnd(Duration.ofSeconds(5))).isTrue();
        assertThat(listener.events()).last().isEqualTo("done");
        assertThat(server.requests()).hasSize(1);
        assertRequest(server.requests().getFirst(), "Your appointment is at 3 pm, \"sharp\".", defaultWireRate());
    }

    @ParameterizedTest(name = "HTTP {0} is {1}")
    @CsvSource({
        "401, AUTHENTICATION, , false",
        "403, PERMISSION, , false",
        "429, RATE_LIMITED, 7, true",
        "500, SERVER_ERROR, , true",
        "503, SERVER_ERROR, 2, true",
        "400, BAD_REQUEST, , false",
    })
    public void errorStatusesAreClassifiedWithRetryAfterAndNoKey(int status, Kind kind, Integer retryAfter, boolean retryable)
            throws Exception {
        // The body echoes the key, as some vendors do for a wrong one: it must not reach the message.
        String body = "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + " for this request\"}}";
        server.script((r, x) -> {
            if (retryAfter != null) {
                x.respond(status, body, "Content-Type: application/json", "Retry-After: " + retryAfter);
            } else {
                x.respond(status, body, "Content-Type: application/json");
            }
        });
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider().synthesize("Hello.", listener);

        assertThat(listener.awaitEnd(TIMEOUTS.firstByte().plus(SLACK))).isTrue();
        ProviderFailure f = listener.failure();
        assertThat(f.kind()).isEqualTo(kind);
        assertThat(f.httpStatus()).isEqualTo(status);
        assertThat(f.retryable()).isEqualTo(retryable);
        assertThat(f.retryAfter()).isEqualTo(java.util.Optional.ofNullable(retryAfter).map(Duration::ofSeconds));
        // The provider's free text never reaches the message (it may hold part of a key); the status does.
        assertThat(f.safeMessage()).contains("HTTP " + status).doesNotContain("Incorrect API key provided")
                .doesNotContain(KEY);
        assertThat(listener.events()).containsExactly("failure");
        assertThat(server.awaitNoOpenConnections(SLACK)).isTrue();
    }

    @Test
    public void anErrorWhoseBodyStallsStillReportsItsStatusWithinTheIdleGap() throws Exception {
        server.script((r, x) -> {
            x.head(503, new String[] {"Content-Type: application/json", "Retry-After: 9"}, "Content-Length: 500");
            x.write("{\"error\":{\"message\":\"overloa".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            x.holdUntilClientCloses(Duration.ofSeconds(10));
        });
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider().synthesize("Hello.", listener);

        assertThat(listener.awaitEnd(TIMEOUTS.idle().plus(SLACK))).isTrue();
        assertThat(listener.failure().kind()).isEqualTo(Kind.SERVER_ERROR);
        assertThat(listener.failure().retryAfter()).contains(Duration.ofSeconds(9));
        assertThat(server.awaitNoOpenConnections(SLACK)).isTrue();
    }

    @Test
    public void aClosedProviderTakesNoMoreText() throws Exception {
        TextToSpeech tts = create(server.baseUri(), ApiKey.of(KEY), TIMEOUTS, defaultWireRate());
        ((AutoCloseable) tts).close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tts.synthesize("Hello.", RecordingSynthesisListener.plain()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    public void refusedConnectionFailsAtOnce() throws Exception {
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider(Blackhole.refusedUri("http"), TIMEOUTS, defaultWireRate()).synthesize("Hello.", listener);

        assertThat(listener.awaitEnd(TIMEOUTS.connect().plus(SLACK))).isTrue();
        assertThat(listener.failure().kind()).isEqualTo(Kind.CONNECT_FAILED);
        assertThat(listener.failure().retryable()).isTrue();
    }

    @Test
    public void connectThatHangsTimesOut() throws Exception {
        try (Blackhole hole = new Blackhole()) {
            // A first-byte budget far beyond the connect timeout, so only the connect timeout can fire.
            HttpTimeouts timeouts = new HttpTimeouts(TIMEOUTS.connect(), Duration.ofSeconds(20),
                    TIMEOUTS.idle(), Duration.ofSeconds(30));
            RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
            provider(hole.uri("http"), timeouts, defaultWireRate()).synthesize("Hello.", listener);

            assertThat(listener.awaitEnd(timeouts.connect().plus(SLACK))).isTrue();
            assertThat(listener.failure().kind()).isEqualTo(Kind.CONNECT_TIMEOUT);
        }
    }

    @Test
    public void providerThatNeverAnswersHitsTheFirstByteTimeoutAndTheConnectionIsClosed() throws Exception {
        server.script((r, x) -> x.holdUntilClientCloses(Duration.ofSeconds(10)));
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider().synthesize("Hello.", listener);

        assertThat(listener.awaitEnd(TIMEOUTS.firstByte().plus(SLACK))).isTrue();
        assertThat(listener.failure().kind()).isEqualTo(Kind.FIRST_BYTE_TIMEOUT);
        assertThat(listener.elapsedToEnd()).isGreaterThanOrEqualTo(TIMEOUTS.firstByte());
        assertThat(server.awaitNoOpenConnections(SLACK)).isTrue();
        assertThat(server.closedByClient()).isEqualTo(1);
    }

    @Test
    public void headersWithoutAudioHitTheFirstByteTimeout() throws Exception {
        server.script((r, x) -> {
            x.startChunked(200, PCM);
            x.holdUntilClientCloses(Duration.ofSeconds(10));
        });
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider().synthesize("Hello.", listener);

        assertThat(listener.awaitEnd(TIMEOUTS.firstByte().plus(SLACK))).isTrue();
        assertThat(listener.failure().kind()).isEqualTo(Kind.FIRST_BYTE_TIMEOUT);
        assertThat(server.awaitNoOpenConnections(SLACK)).isTrue();
    }

    @Test
    public void stallMidStreamFailsWithinTheIdleGapAfterTheAudioSoFar() throws Exception {
        server.script((r, x) -> {
            x.startChunked(200, PCM);
            x.chunk(Tones.bytes(Tones.sine(300, defaultWireRate(), 3200, 0.3)));
            x.holdUntilClientCloses(Duration.ofSeconds(10));
        });
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider().synthesize("Hello.", listener);

        assertThat(listener.awaitAudio(Duration.ofSeconds(5))).isTrue();
        long audioAt = System.nanoTime();
        assertThat(listener.awaitEnd(TIMEOUTS.idle().plus(SLACK))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - audioAt)).isLessThan(TIMEOUTS.idle().plus(SLACK));
        assertThat(listener.failure().kind()).isEqualTo(Kind.IDLE_TIMEOUT);
        assertThat(listener.events()).first().isEqualTo("audio");
        assertThat(listener.events()).last().isEqualTo("failure");
        assertThat(listener.events()).doesNotContain("done");
        assertThat(server.awaitNoOpenConnections(SLACK)).isTrue();
        assertThat(server.closedByClient()).isEqualTo(1);
    }

    @Test
    public void bodyCutShortOfItsContentLengthIsTruncated() throws Exception {
        server.script((r, x) -> {
            x.head(200, new String[] {PCM}, "Content-Length: 64000");
            x.write(Tones.bytes(Tones.sine(300, defaultWireRate(), 3200, 0.3)));
            x.cut();
        });
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider().synthesize("Hello.", listener);

        assertThat(listener.awaitEnd(SLACK)).isTrue();
        assertThat(listener.failure().kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(listener.failure().retryable()).isTrue();
        assertThat(listener.events()).doesNotContain("done");
    }

    @Test
    public void chunkedBodyCutBeforeItsLastChunkIsTruncated() throws Exception {
        server.script((r, x) -> {
            x.startChunked(200, PCM);
            x.chunk(Tones.bytes(Tones.sine(300, defaultWireRate(), 3200, 0.3)));
            x.cut();
        });
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider().synthesize("Hello.", listener);

        assertThat(listener.awaitEnd(SLACK)).isTrue();
        assertThat(listener.failure().kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(listener.events()).doesNotContain("done");
    }

    @Test
    public void successWithoutAudioIsEmptyAudio() throws Exception {
        server.script((r, x) -> x.respond(200, new byte[0], PCM));
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider().synthesize("Hello.", listener);

        assertThat(listener.awaitEnd(SLACK)).isTrue();
        assertThat(listener.failure().kind()).isEqualTo(Kind.EMPTY);
        assertThat(listener.events()).containsExactly("failure");
    }

    @Test
    public void jsonInsteadOfAudioIsMalformed() throws Exception {
        server.script((r, x) -> x.respond(200, "{\"status\":\"queued\"}", "Content-Type: application/json"));
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider().synthesize("Hello.", listener);

        assertThat(listener.awaitEnd(SLACK)).isTrue();
        assertThat(listener.failure().kind()).isEqualTo(Kind.MALFORMED);
        assertThat(listener.events()).containsExactly("failure");
    }

    @Test
    public void audioThatTricklesPastTheTotalCapIsStopped() throws Exception {
        server.script((r, x) -> {
            x.startChunked(200, PCM);
            byte[] piece = Tones.bytes(Tones.sine(300, defaultWireRate(), 160, 0.3));
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < until) {
                x.chunk(piece); // throws once the client has gone
                Thread.sleep(50);
            }
        });
        // The idle gap as long as the total cap: on a loaded machine the trickling server thread may stall
        // past the usual idle gap, and this test is about the total cap alone.
        HttpTimeouts idleNoShorterThanTotal = new HttpTimeouts(TIMEOUTS.connect(), TIMEOUTS.firstByte(),
                TIMEOUTS.total(), TIMEOUTS.total());
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider(server.baseUri(), idleNoShorterThanTotal, defaultWireRate()).synthesize("Hello.", listener);

        assertThat(listener.awaitEnd(TIMEOUTS.total().plus(SLACK))).isTrue();
        assertThat(listener.failure().kind()).isEqualTo(Kind.TOTAL_TIMEOUT);
        assertThat(listener.failure().retryable()).isFalse();
        assertThat(listener.elapsedToEnd()).isGreaterThanOrEqualTo(TIMEOUTS.total());
        assertThat(server.awaitNoOpenConnections(SLACK)).isTrue();
    }

    @Test
    public void closeMidStreamClosesTheConnectionAndSilencesTheListener() throws Exception {
        server.script((r, x) -> {
            x.startChunked(200, PCM);
            x.chunk(Tones.bytes(Tones.sine(300, defaultWireRate(), 3200, 0.3)));
            x.holdUntilClientCloses(Duration.ofSeconds(10));
        });
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        TextToSpeech.Synthesis synthesis = provider().synthesize("Hello.", listener);
        assertThat(listener.awaitAudio(Duration.ofSeconds(5))).isTrue();

        synthesis.close();
        listener.markClosed();
        synthesis.close();

        assertThat(server.awaitNoOpenConnections(Duration.ofSeconds(1))).as("connection closed promptly").isTrue();
        assertThat(server.closedByClient()).isEqualTo(1);
        // Past every timeout: still nothing.
        assertThat(listener.awaitEnd(TIMEOUTS.idle().plus(TIMEOUTS.firstByte()))).isFalse();
        assertThat(listener.eventsAfterClose()).isEmpty();
    }

    @Test
    public void closingTheProviderClosesWhatIsInFlight() throws Exception {
        server.script((r, x) -> x.holdUntilClientCloses(Duration.ofSeconds(10)));
        TextToSpeech tts = create(server.baseUri(), ApiKey.of(KEY), TIMEOUTS, defaultWireRate());
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        tts.synthesize("Hello.", listener);
        assertThat(Await.until(SLACK, () -> server.openConnections() == 1)).isTrue();

        ((AutoCloseable) tts).close();
        listener.markClosed();

        assertThat(server.awaitNoOpenConnections(Duration.ofSeconds(1))).isTrue();
        assertThat(listener.awaitEnd(TIMEOUTS.firstByte())).isFalse();
        assertThat(listener.eventsAfterClose()).isEmpty();
        assertThat(Await.until(SLACK, () -> {
            Set<String> now = new HashSet<>(Leaks.httpClientThreads());
            now.removeAll(clientThreadsBefore);
            return now.isEmpty();
        })).isTrue();
    }

    @Test
    public void blankTextIsDoneWithoutARequest() throws Exception {
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider().synthesize("  \n", listener);

        assertThat(listener.awaitEnd(SLACK)).isTrue();
        assertThat(listener.events()).containsExactly("done");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    public void textOverTheLimitIsRefusedWithoutARequest() throws Exception {
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        provider().synthesize("a".repeat(maxChars() + 1), listener);

        assertThat(listener.awaitEnd(SLACK)).isTrue();
        assertThat(listener.failure().kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    public void plainListenersGetASafeMessageThroughOnError() throws Exception {
        server.script((r, x) -> x.respond(401, "{\"detail\":{\"message\":\"invalid key " + KEY + "\"}}",
                "Content-Type: application/json"));
        RecordingSynthesisListener listener = RecordingSynthesisListener.plain();
        provider().synthesize("Hello.", listener);

        assertThat(listener.awaitEnd(SLACK)).isTrue();
        assertThat(listener.events()).containsExactly("error");
        assertThat(listener.error()).contains("authentication failed").contains("401").doesNotContain(KEY);
    }

    @Test
    public void theKeyNeverReachesALogLineOrAMessage() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            server.script((r, x) -> x.respond(403, "forbidden for key " + KEY));
            RecordingSynthesisListener first = RecordingSynthesisListener.classified();
            provider().synthesize("Hello.", first);
            assertThat(first.awaitEnd(SLACK)).isTrue();

            server.script((r, x) -> {
                x.startChunked(200, PCM);
                x.chunk(new byte[] {1, 2, 3});
                x.holdUntilClientCloses(Duration.ofSeconds(10));
            });
            RecordingSynthesisListener second = RecordingSynthesisListener.classified();
            provider().synthesize("Hello.", second);
            assertThat(second.awaitEnd(TIMEOUTS.idle().plus(SLACK))).isTrue();

            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(KEY));
            assertThat(first.failure().safeMessage()).doesNotContain(KEY);
            assertThat(first.failure().toString()).doesNotContain(KEY);
            assertThat(second.failure().safeMessage()).doesNotContain(KEY);
            for (AutoCloseable p : created) {
                assertThat(p.toString()).doesNotContain(KEY);
            }
        }
    }

    /** A request body as a map (numbers as Integer or Double). */
    @SuppressWarnings("unchecked")
    protected static Map<String, Object> jsonObject(String body) {
        return Json.MAPPER.readValue(body, Map.class);
    }

    /** The same bytes decoded in one piece: chunking must not change a single sample. */
    protected static short[] decodeWhole(byte[] wire, int rate) {
        PcmStreamDecoder d = new PcmStreamDecoder(rate);
        short[] body = d.decode(ByteBuffer.wrap(wire));
        short[] tail = d.finish();
        short[] out = Arrays.copyOf(body, body.length + tail.length);
        System.arraycopy(tail, 0, out, body.length, tail.length);
        return out;
    }

    private static org.assertj.core.data.Offset<Double> within(double v) {
        return org.assertj.core.data.Offset.offset(v);
    }
}
