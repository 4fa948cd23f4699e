package dev.palaver.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavReader;
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
import dev.palaver.providers.testing.Leaks;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiTranscriptionSpeechToTextTest {

    private static final String KEY = "sk-test-SECRET-77e0a1d2c3";
    private static final HttpTimeouts TIMEOUTS =
            new HttpTimeouts(Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofMillis(800), Duration.ofSeconds(5));
    private static final Duration SLACK = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String JSON = "Content-Type: application/json";

    private static short[] speech;

    private SystemScheduler scheduler;
    private ScriptedHttpServer server;
    private final List<OpenAiTranscriptionSpeechToText> created = new ArrayList<>();
    private Set<String> clientThreadsBefore;

    @BeforeAll
    static void loadSpeech() throws Exception {
        try (InputStream in = OpenAiTranscriptionSpeechToTextTest.class.getResourceAsStream("/audio/book-appointment-slt-16k.wav")) {
            WavAudio wav = WavReader.read(in);
            assertThat(wav.sampleRate()).isEqualTo(16_000);
            speech = wav.channel(0);
        }
    }

    @BeforeEach
    void start() throws Exception {
        clientThreadsBefore = Leaks.httpClientThreads();
        scheduler = new SystemScheduler();
        server = new ScriptedHttpServer((r, x) -> x.respond(200, "{\"text\":\" Book an appointment. \"}", JSON));
    }

    @AfterEach
    void stop() throws Exception {
        for (OpenAiTranscriptionSpeechToText stt : created) {
            stt.close();
        }
        server.close();
        scheduler.close();
        assertThat(Await.until(SLACK, () -> {
            Set<String> now = new HashSet<>(Leaks.httpClientThreads());
            now.removeAll(clientThreadsBefore);
            return now.isEmpty();
        })).as("HttpClient threads left behind").isTrue();
    }

    private OpenAiTranscriptionSpeechToText.Builder builder(URI base) {
        return OpenAiTranscriptionSpeechToText.builder(ApiKey.of(KEY))
                .baseUrl(base.resolve("/v1"))
                .model("whisper-large-v3")
                .language("en")
                .timeouts(TIMEOUTS);
    }

    private SpeechToText.Stream open(OpenAiTranscriptionSpeechToText.Builder b, SpeechToText.Listener listener) {
        OpenAiTranscriptionSpeechToText stt = b.build();
        created.add(stt);
        return stt.open(listener);
    }

    private static void push(SpeechToText.Stream stream, short[] audio) {
        for (int at = 0; at + AudioFormat.SAMPLES_PER_FRAME <= audio.length; at += AudioFormat.SAMPLES_PER_FRAME) {
            stream.push(Arrays.copyOfRange(audio, at, at + AudioFormat.SAMPLES_PER_FRAME));
        }
    }

    private static short[] silence(int millis) {
        return new short[AudioFormat.samplesFor(16_000, millis)];
    }

    private static int indexOf(short[] hay, short[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The parts of a multipart/form-data request: name to bytes. */
    private static Map<String, byte[]> parts(ScriptedHttpServer.Request r) {
        String type = r.header("Content-Type");
        assertThat(type).startsWith("multipart/form-data; boundary=");
        byte[] delimiter = ("--" + type.substring(type.indexOf('=') + 1)).getBytes(StandardCharsets.ISO_8859_1);
        String body = new String(r.body(), StandardCharsets.ISO_8859_1);
        String d = new String(delimiter, StandardCharsets.ISO_8859_1);
        Map<String, byte[]> parts = new LinkedHashMap<>();
        String[] pieces = body.split(java.util.regex.Pattern.quote(d));
        assertThat(pieces[pieces.length - 1]).isEqualTo("--\r\n");
        for (int i = 1; i < pieces.length - 1; i++) {
            String piece = pieces[i];
            int headEnd = piece.indexOf("\r\n\r\n");
            String head = piece.substring(0, headEnd);
            String name = head.replaceAll("(?s).*?; name=\"([^\"]+)\".*", "$1");
            String content = piece.substring(headEnd + 4, piece.length() - 2);
            parts.put(name, content.getBytes(StandardCharsets.ISO_8859_1));
        }
        return parts;
    }

    @Test
    void speechCutWhenItStopsGoesOutAsAWavAndItsTextComesBackAsAFinal() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = open(builder(server.baseUri()).prompt("Palaver front desk"), listener);
        push(stream, silence(1000));
        push(stream, speech);
        assertThat(server.requests()).as("nothing sent while speech goes on").isEmpty();
        push(stream, silence(1000));

        assertThat(listener.awaitEvent("final:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("final:Book an appointment.");
        ScriptedHttpServer.Request r = server.requests().getFirst();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.target()).isEqualTo("/v1/audio/transcriptions");
        assertThat(r.header("Authorization")).isEqualTo("Bearer " + KEY);
        Map<String, byte[]> parts = parts(r);
        assertThat(parts.keySet()).containsExactly("file", "model", "response_format", "language", "prompt");
        assertThat(new String(parts.get("model"), StandardCharsets.UTF_8)).isEqualTo("whisper-large-v3");
        assertThat(new String(parts.get("response_format"), StandardCharsets.UTF_8)).isEqualTo("json");
        assertThat(new String(parts.get("language"), StandardCharsets.UTF_8)).isEqualTo("en");
        assertThat(new String(parts.get("prompt"), StandardCharsets.UTF_8)).isEqualTo("Palaver front desk");
        WavAudio sent = WavReader.read(new ByteArrayInputStream(parts.get("file")));
        assertThat(sent.sampleRate()).isEqualTo(16_000);
        assertThat(sent.channels()).isEqualTo(1);
        // The speech, a little before it and the silence that ended it; not the second of silence before.
        assertThat(sent.durationSeconds()).isBetween(3.5, 3.79 + 0.3 + 0.7);
        assertThat(indexOf(sent.samples(), Arrays.copyOfRange(speech, 8000, 8320))).as("the speech itself, unaltered").isPositive();

        stream.endOfSpeech();
        assertThat(listener.awaitEvent("flushed:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("final:Book an appointment.", "flushed:");
        assertThat(server.requests()).hasSize(1);
        stream.close();
    }

    @Test
    void endOfSpeechDuringSpeechSendsWhatThereIsAndAnswersWithTheFlushedFinal() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = open(builder(server.baseUri()), listener);
        push(stream, silence(500));
        push(stream, speech);
        stream.endOfSpeech();

        assertThat(listener.awaitEvent("flushed:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("flushed:Book an appointment.");
        // The trailing silence is no utterance of its own.
        push(stream, silence(1500));
        stream.endOfSpeech();
        assertThat(listener.awaitEvents("flushed:", 2, WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("flushed:Book an appointment.", "flushed:");
        assertThat(server.requests()).hasSize(1);
        stream.close();
    }

    @Test
    void framesOfAnyLengthAreRegroupedForTheDetector() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = open(builder(server.baseUri()), listener);
        short[] all = new short[16_000 + speech.length + 16_000];
        System.arraycopy(speech, 0, all, 16_000, speech.length);
        for (int at = 0; at < all.length; at += 137) {
            stream.push(Arrays.copyOfRange(all, at, Math.min(all.length, at + 137)));
        }

        assertThat(listener.awaitEvent("final:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("final:Book an appointment.");
        WavAudio sent = WavReader.read(new ByteArrayInputStream(parts(server.requests().getFirst()).get("file")));
        assertThat(indexOf(sent.samples(), Arrays.copyOfRange(speech, 8000, 8320))).isPositive();
        stream.close();
    }

    @Test
    void endOfSpeechWithNoSpeechIsAnsweredEmptyWithoutARequest() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = open(builder(server.baseUri()), listener);
        stream.endOfSpeech();
        push(stream, silence(3000));
        stream.endOfSpeech();

        assertThat(listener.events()).containsExactly("flushed:", "flushed:");
        assertThat(server.requests()).isEmpty();
        stream.close();
    }

    @Test
    void finalsComeInTheOrderTheUtterancesWereCutWhateverOrderTheAnswersCome() throws Exception {
        CountDownLatch secondAnswered = new CountDownLatch(1);
        AtomicInteger n = new AtomicInteger();
        server.script((r, x) -> {
            if (n.getAndIncrement() == 0) {
                secondAnswered.await(5, TimeUnit.SECONDS);
                x.respond(200, "{\"text\":\"first\"}", JSON);
            } else {
                x.respond(200, "{\"text\":\"second\"}", JSON);
                secondAnswered.countDown();
            }
        });
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = open(builder(server.baseUri()), listener);
        push(stream, speech);
        push(stream, silence(800));
        assertThat(Await.until(WAIT, () -> server.requests().size() == 1)).isTrue();
        push(stream, speech);
        stream.endOfSpeech();

        assertThat(listener.awaitEvent("flushed:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("final:first", "flushed:second");
        stream.close();
    }

    @Test
    void speechLongerThanTheCapIsCutThere() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = open(builder(server.baseUri()).maxUtterance(Duration.ofMillis(1500)), listener);
        push(stream, speech);
        stream.endOfSpeech();

        assertThat(listener.awaitEvent("flushed:", WAIT)).isTrue();
        assertThat(listener.count("final:")).isGreaterThanOrEqualTo(1);
        for (ScriptedHttpServer.Request r : server.requests()) {
            assertThat(WavReader.read(new ByteArrayInputStream(parts(r).get("file"))).durationSeconds()).isLessThanOrEqualTo(1.5);
        }
        assertThat(listener.events()).last().asString().startsWith("flushed:");
        stream.close();
    }

    @ParameterizedTest(name = "HTTP {0} is {1}")
    @CsvSource({
        "401, AUTHENTICATION, ",
        "403, PERMISSION, ",
        "429, RATE_LIMITED, 20",
        "500, SERVER_ERROR, ",
        "503, SERVER_ERROR, 1",
    })
    void errorStatusesFailTheStreamClassified(int status, Kind kind, Integer retryAfter) throws Exception {
        server.script((r, x) -> {
            String body = "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}";
            if (retryAfter == null) {
                x.respond(status, body, JSON);
            } else {
                x.respond(status, body, JSON, "Retry-After: " + retryAfter);
            }
        });
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = open(builder(server.baseUri()), listener);
        push(stream, speech);
        stream.endOfSpeech();

        assertThat(listener.awaitEvent("failure:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("failure:" + kind);
        assertThat(listener.failure().retryAfter()).isEqualTo(Optional.ofNullable(retryAfter).map(Duration::ofSeconds));
        assertThat(listener.failure().safeMessage()).contains("HTTP " + status).doesNotContain(KEY);
        // A failed stream stays silent and sends nothing more.
        push(stream, speech);
        stream.endOfSpeech();
        assertThat(server.requests()).hasSize(1);
        assertThat(listener.events()).hasSize(1);
    }

    @Test
    void refusedConnectionFails() throws Exception {
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = open(builder(Blackhole.refusedUri("http")), listener);
        push(stream, speech);
        stream.endOfSpeech();

        assertThat(listener.awaitEvent("failure:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("failure:CONNECT_FAILED");
    }

    @Test
    void connectThatHangsTimesOut() throws Exception {
        try (Blackhole hole = new Blackhole()) {
            RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
            SpeechToText.Stream stream = open(builder(hole.uri("http")).timeouts(new HttpTimeouts(
                    TIMEOUTS.connect(), Duration.ofSeconds(20), TIMEOUTS.idle(), Duration.ofSeconds(30))), listener);
            push(stream, speech);
            stream.endOfSpeech();

            assertThat(listener.awaitEvent("failure:", TIMEOUTS.connect().plus(SLACK))).isTrue();
            assertThat(listener.events()).containsExactly("failure:CONNECT_TIMEOUT");
        }
    }

    @Test
    void noAnswerHitsTheFirstByteTimeoutAndReleasesTheConnection() throws Exception {
        server.script((r, x) -> x.holdUntilClientCloses(Duration.ofSeconds(10)));
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = open(builder(server.baseUri()), listener);
        push(stream, speech);
        stream.endOfSpeech();

        assertThat(listener.awaitEvent("failure:", TIMEOUTS.firstByte().plus(SLACK))).isTrue();
        assertThat(listener.events()).containsExactly("failure:FIRST_BYTE_TIMEOUT");
        assertThat(server.awaitNoOpenConnections(SLACK)).isTrue();
        assertThat(server.closedByClient()).isEqualTo(1);
    }

    @Test
    void answerThatStallsMidBodyFailsWithinTheIdleGap() throws Exception {
        server.script((r, x) -> {
            x.head(200, new String[] {JSON}, "Content-Length: 40");
            x.write("{\"text\":\"Book an".getBytes(StandardCharsets.UTF_8));
            x.holdUntilClientCloses(Duration.ofSeconds(10));
        });
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = open(builder(server.baseUri()), listener);
        push(stream, speech);
        stream.endOfSpeech();

        assertThat(listener.awaitEvent("failure:", TIMEOUTS.firstByte().plus(SLACK))).isTrue();
        assertThat(listener.events()).containsExactly("failure:IDLE_TIMEOUT");
        assertThat(server.awaitNoOpenConnections(SLACK)).isTrue();
    }

    @Test
    void answerCutShortIsTruncated() throws Exception {
        server.script((r, x) -> {
            x.head(200, new String[] {JSON}, "Content-Length: 40");
            x.write("{\"text\":\"Book an".getBytes(StandardCharsets.UTF_8));
            x.cut();
        });
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = open(builder(server.baseUri()), listener);
        push(stream, speech);
        stream.endOfSpeech();

        assertThat(listener.awaitEvent("failure:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("failure:TRUNCATED");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{\"text\":", "{\"transcript\":\"hi\"}", "[\"hi\"]", "''", "<html>busy</html>"})
    void answersThatAreNotJsonWithTextAreMalformed(String body) throws Exception {
        server.script((r, x) -> x.respond(200, body, JSON));
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = open(builder(server.baseUri()), listener);
        push(stream, speech);
        stream.endOfSpeech();

        assertThat(listener.awaitEvent("failure:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("failure:MALFORMED");
    }

    @Test
    void anEmptyTranscriptIsAnEmptyFinal() throws Exception {
        server.script((r, x) -> x.respond(200, "{\"text\":\"\"}", JSON));
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = open(builder(server.baseUri()), listener);
        push(stream, speech);
        stream.endOfSpeech();

        assertThat(listener.awaitEvent("flushed:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("flushed:");
        stream.close();
    }

    @Test
    void utterancesPilingUpBehindASlowProviderFailTheStream() throws Exception {
        server.script((r, x) -> x.holdUntilClientCloses(Duration.ofSeconds(10)));
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = open(builder(server.baseUri()).maxInFlight(1)
                .timeouts(new HttpTimeouts(TIMEOUTS.connect(), Duration.ofSeconds(20), TIMEOUTS.idle(),
                        Duration.ofSeconds(30))), listener);
        push(stream, speech);
        stream.endOfSpeech();
        assertThat(Await.until(WAIT, () -> server.openConnections() == 1)).isTrue();
        push(stream, speech);
        stream.endOfSpeech();

        assertThat(listener.events()).containsExactly("failure:IDLE_TIMEOUT");
        assertThat(server.awaitNoOpenConnections(SLACK)).isTrue();
    }

    @Test
    void closeReleasesRequestsInFlightAndSilencesTheListener() throws Exception {
        server.script((r, x) -> x.holdUntilClientCloses(Duration.ofSeconds(10)));
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = open(builder(server.baseUri()), listener);
        push(stream, speech);
        stream.endOfSpeech();
        assertThat(Await.until(WAIT, () -> server.openConnections() == 1)).isTrue();

        stream.close();
        listener.markClosed();

        assertThat(server.awaitNoOpenConnections(Duration.ofSeconds(1))).isTrue();
        assertThat(listener.awaitEvent("", TIMEOUTS.firstByte().plus(TIMEOUTS.idle()))).isFalse();
        stream.push(speech);
        stream.endOfSpeech();
        assertThat(listener.eventsAfterClose()).isEmpty();
    }

    @Test
    void theKeyNeverReachesALogLineOrAMessage() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            server.script((r, x) -> x.respond(401, "{\"error\":{\"message\":\"bad key " + KEY + "\"}}", JSON));
            RecordingRecognitionListener listener = RecordingRecognitionListener.plain();
            SpeechToText.Stream stream = open(builder(server.baseUri()), listener);
            push(stream, speech);
            stream.endOfSpeech();
            assertThat(listener.awaitEvent("error:", WAIT)).isTrue();

            assertThat(listener.error()).contains("authentication failed").doesNotContain(KEY);
            assertThat(logs.lines()).isNotEmpty().noneMatch(l -> l.contains(KEY));
            assertThat(created.getFirst().toString()).doesNotContain(KEY);
        }
    }
}
