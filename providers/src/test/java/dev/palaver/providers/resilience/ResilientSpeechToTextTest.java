package dev.palaver.providers.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavReader;
import dev.palaver.media.fake.FakeSpeechToText;
import dev.palaver.media.fake.Latency;
import dev.palaver.media.stt.SpeechToText;
import dev.palaver.media.time.SystemScheduler;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.openai.OpenAiTranscriptionSpeechToText;
import dev.palaver.providers.resilience.ProviderMetrics.Outcome;
import dev.palaver.providers.speechtest.Await;
import dev.palaver.providers.speechtest.RecordingRecognitionListener;
import dev.palaver.providers.speechtest.ScriptedHttpServer;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The resilient recognition decorator over the real OpenAI-compatible transcription provider (on a scripted
 * loopback server) and the media fakes as stand-ins for a second provider.
 */
class ResilientSpeechToTextTest {

    private static final String KEY = "sk-whisper-P0o9I8u7Y6t5R4e3";
    private static final String JSON = "Content-Type: application/json";
    private static final HttpTimeouts TIMEOUTS = new HttpTimeouts(Duration.ofMillis(500), Duration.ofSeconds(8),
            Duration.ofSeconds(2), Duration.ofSeconds(20));
    private static final Duration FIRST_OUTPUT = Duration.ofMillis(800);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static short[] speech;

    private SystemScheduler scheduler;
    private ScriptedHttpServer whisper;
    private OpenAiTranscriptionSpeechToText openAi;
    private final RecordingMetrics metrics = new RecordingMetrics();

    @BeforeAll
    static void loadSpeech() throws Exception {
        try (InputStream in = ResilientSpeechToTextTest.class.getResourceAsStream("/audio/book-appointment-slt-16k.wav")) {
            WavAudio wav = WavReader.read(in);
            speech = wav.channel(0);
        }
    }

    @BeforeEach
    void start() throws Exception {
        scheduler = new SystemScheduler();
        whisper = new ScriptedHttpServer((r, x) -> x.respond(200, "{\"text\":\"book an appointment\"}", JSON));
        openAi = OpenAiTranscriptionSpeechToText.builder(ApiKey.of(KEY)).baseUrl(whisper.baseUri().resolve("/v1"))
                .timeouts(TIMEOUTS).build();
    }

    @AfterEach
    void stop() throws Exception {
        openAi.close();
        whisper.close();
        scheduler.close();
    }

    private FakeSpeechToText.Builder fake(String... transcripts) {
        return FakeSpeechToText.builder(scheduler).transcripts(transcripts).finalLatency(Latency.millis(20));
    }

    private ResilientSpeechToText resilient(SpeechToText first, SpeechToText second, ResiliencePolicy policy) {
        Resilience resilience = new Resilience(scheduler, ProviderBreakers.Settings.defaults(), metrics);
        return resilience.speechToText(FallbackChain.<SpeechToText>builder()
                .add("first", ApiKey.of(KEY), first)
                .add("second", second)
                .build(), policy);
    }

    private static ResiliencePolicy policy() {
        return ResiliencePolicy.speechToText().withMaxAttempts(1).withFirstOutput(FIRST_OUTPUT);
    }

    /** The sentence in 20 ms frames, then the end of speech. */
    private static int speak(SpeechToText.Stream stream) {
        short[] audio = speech;
        int pushed = 0;
        for (int at = 0; at + AudioFormat.SAMPLES_PER_FRAME <= audio.length; at += AudioFormat.SAMPLES_PER_FRAME) {
            stream.push(Arrays.copyOfRange(audio, at, at + AudioFormat.SAMPLES_PER_FRAME));
            pushed++;
        }
        stream.endOfSpeech();
        return pushed;
    }

    @Test
    void theRealProviderAnswersThroughTheDecorator() throws Exception {
        FakeSpeechToText second = fake("never").build();
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = resilient(openAi, second, policy()).open(listener);
        speak(stream);

        assertThat(listener.awaitEvent("flushed:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("flushed:book an appointment");
        assertThat(second.streamsOpened()).isZero();
        assertThat(metrics.outcomes("first")).containsExactly(Outcome.SUCCESS);
        stream.close();
        assertThat(openAi.openStreams()).isZero();
    }

    @Test
    void aFailureBeforeTheFirstTranscriptReplaysTheAudioIntoTheFallback() throws Exception {
        whisper.script((r, x) -> x.respond(500, "{\"error\":{\"code\":\"internal\"}}", JSON));
        FakeSpeechToText second = fake("book an appointment").build();
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = resilient(openAi, second, policy()).open(listener);
        speak(stream);

        assertThat(listener.awaitEvent("flushed:", WAIT)).isTrue();
        // The fallback's partial and final for the replayed audio.
        assertThat(listener.events()).containsExactly("partial:book", "flushed:book an appointment");
        assertThat(whisper.requests()).hasSize(1);
        assertThat(second.streamsOpened()).isEqualTo(1);
        // Every non-silent frame the caller pushed reached the fallback.
        long nonSilent = 0;
        for (int at = 0; at + AudioFormat.SAMPLES_PER_FRAME <= speech.length; at += AudioFormat.SAMPLES_PER_FRAME) {
            short[] frame = Arrays.copyOfRange(speech, at, at + AudioFormat.SAMPLES_PER_FRAME);
            boolean sound = false;
            for (short s : frame) {
                sound |= s != 0;
            }
            nonSilent += sound ? frame.length : 0;
        }
        assertThat(second.speechSamplesReceived()).isEqualTo(nonSilent);
        assertThat(metrics.failures).extracting(RecordingMetrics.Failure::kind).containsExactly(Kind.SERVER_ERROR);
        stream.close();
    }

    @Test
    void aProviderThatOwesAFinalAndSaysNothingIsReplacedWithinTheBudget() throws Exception {
        whisper.script((r, x) -> x.holdUntilClientCloses(Duration.ofSeconds(15)));
        FakeSpeechToText second = fake("book an appointment").build();
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = resilient(openAi, second, policy()).open(listener);
        speak(stream);
        long endOfSpeech = System.nanoTime();

        assertThat(listener.awaitEvent("flushed:", FIRST_OUTPUT.plus(WAIT))).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - endOfSpeech);
        assertThat(took).isGreaterThanOrEqualTo(FIRST_OUTPUT.minusMillis(50)).isLessThan(TIMEOUTS.firstByte());
        assertThat(listener.events()).containsExactly("partial:book", "flushed:book an appointment");
        assertThat(whisper.awaitNoOpenConnections(WAIT)).as("the stalled request is closed").isTrue();
        assertThat(metrics.outcomes("first")).containsExactly(Outcome.ABANDONED);
        stream.close();
    }

    @Test
    void aStreamThatFailsAfterItsFirstTranscriptIsTheCallersErrorAndNothingIsReplayed() throws Exception {
        FakeSpeechToText first = fake("book an appointment", "for tuesday").failOnUtterance(1).build();
        FakeSpeechToText second = fake("never").build();
        RecordingRecognitionListener listener = RecordingRecognitionListener.plain();
        SpeechToText.Stream stream = resilient(first, second, policy().withMaxAttempts(3)).open(listener);
        speak(stream);
        assertThat(listener.awaitEvent("flushed:", WAIT)).isTrue();
        speak(stream);

        assertThat(listener.awaitEvent("error:", WAIT)).isTrue();
        assertThat(listener.events()).containsExactly("partial:book", "flushed:book an appointment",
                "error:first: scripted failure");
        assertThat(second.streamsOpened()).isZero();
        assertThat(first.streamsOpened()).isEqualTo(1);
        assertThat(metrics.retries).isEmpty();
        stream.close();
        assertThat(first.openStreams()).isZero();
    }

    @Test
    void closingTheStreamClosesTheProvidersStreamAndSilencesTheListener() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        whisper.script((r, x) -> {
            x.holdUntilClientCloses(Duration.ofSeconds(15));
            answered.incrementAndGet();
        });
        FakeSpeechToText second = fake("too late").build();
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = resilient(openAi, second, policy()).open(listener);
        speak(stream);
        assertThat(Await.until(WAIT, () -> whisper.openConnections() == 1)).isTrue();

        stream.close();
        listener.markClosed();

        assertThat(whisper.awaitNoOpenConnections(WAIT)).isTrue();
        assertThat(listener.awaitEvent("", FIRST_OUTPUT.multipliedBy(2))).isFalse();
        assertThat(listener.eventsAfterClose()).isEmpty();
        assertThat(second.streamsOpened()).isZero();
        assertThat(openAi.openStreams()).isZero();
        assertThat(metrics.outcomes("first")).containsExactly(Outcome.CANCELLED);
    }
}
