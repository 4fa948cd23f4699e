package dev.palaver.providers.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.time.SystemScheduler;
import dev.palaver.media.time.VirtualScheduler;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.elevenlabs.ElevenLabsTextToSpeech;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.offline.OfflineSpeech;
import dev.palaver.providers.offline.OfflineTextToSpeech;
import dev.palaver.providers.openai.OpenAiSpeechTextToSpeech;
import dev.palaver.providers.resilience.ProviderMetrics.BreakerState;
import dev.palaver.providers.resilience.ProviderMetrics.Outcome;
import dev.palaver.providers.speechtest.Await;
import dev.palaver.providers.speechtest.LogCapture;
import dev.palaver.providers.speechtest.RecordingSynthesisListener;
import dev.palaver.providers.speechtest.ScriptedHttpServer;
import dev.palaver.providers.speechtest.Tones;
import dev.palaver.providers.testing.Leaks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The resilient synthesis decorator over the real ElevenLabs and OpenAI providers, each talking to its own
 * scripted server on loopback, and the offline flite engine at the end of the chain.
 */
class ResilientTextToSpeechTest {

    private static final String KEY = "sk-eleven-K9f3Qw7Zp2Lm5Xc8";
    private static final String OTHER_KEY = "sk-eleven-B4n6Ty1Ur0Ve3Ws9";
    private static final String OPENAI_KEY = "sk-openai-H2j4Kl6Mn8Pq0Rs2";
    private static final String PCM = "Content-Type: application/octet-stream";
    /** The providers' own first-byte timeout is long: only the decorator's first-output budget can act. */
    private static final HttpTimeouts TIMEOUTS = new HttpTimeouts(Duration.ofMillis(500), Duration.ofSeconds(8),
            Duration.ofSeconds(2), Duration.ofSeconds(20));
    private static final Duration FIRST_OUTPUT = Duration.ofMillis(700);
    private static final Duration SLACK = Duration.ofSeconds(3);
    private static final ResiliencePolicy POLICY = ResiliencePolicy.textToSpeech()
            .withBackoff(Duration.ofMillis(50), 2, 0.5)
            .withRetryBudget(Duration.ofSeconds(3))
            .withFirstOutput(FIRST_OUTPUT);

    private SystemScheduler scheduler;
    private ScriptedHttpServer eleven;
    private ScriptedHttpServer openai;
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final List<AutoCloseable> providers = new ArrayList<>();
    private Set<String> threadsBefore;

    @BeforeEach
    void start() throws Exception {
        threadsBefore = Leaks.httpClientThreads();
        scheduler = new SystemScheduler();
        eleven = new ScriptedHttpServer((r, x) -> x.respond(500, "unscripted"));
        openai = new ScriptedHttpServer((r, x) -> x.respond(200, audio(24_000), PCM));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable p : providers) {
            p.close();
        }
        eleven.close();
        openai.close();
        scheduler.close();
    }

    private static byte[] audio(int rate) {
        return Tones.bytes(Tones.sine(300, rate, rate / 10, 0.3));
    }

    private TextToSpeech elevenLabs(String key) {
        ElevenLabsTextToSpeech tts = ElevenLabsTextToSpeech.builder(ApiKey.of(key), "voice1", scheduler)
                .baseUrl(eleven.baseUri()).timeouts(TIMEOUTS).build();
        providers.add(tts);
        return tts;
    }

    private TextToSpeech openAi() {
        OpenAiSpeechTextToSpeech tts = OpenAiSpeechTextToSpeech.builder(ApiKey.of(OPENAI_KEY), scheduler)
                .baseUrl(openai.baseUri().resolve("/v1")).timeouts(TIMEOUTS).build();
        providers.add(tts);
        return tts;
    }

    private ResilientTextToSpeech resilient(Resilience resilience, ResiliencePolicy policy, String elevenKey) {
        return resilience.textToSpeech(FallbackChain.<TextToSpeech>builder()
                .add("elevenlabs", ApiKey.of(elevenKey), elevenLabs(elevenKey))
                .add("openai", ApiKey.of(OPENAI_KEY), openAi())
                .build(), policy);
    }

    private ResilientTextToSpeech resilient() {
        return resilient(new Resilience(scheduler, ProviderBreakers.Settings.defaults(), metrics), POLICY, KEY);
    }

    private static RecordingSynthesisListener speak(TextToSpeech tts) {
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        tts.synthesize("Hello there.", listener);
        return listener;
    }

    @Test
    void unauthorizedMovesToTheNextProviderAtOnceWithoutARetry() throws Exception {
        eleven.script((r, x) -> x.respond(401, "{\"detail\":{\"status\":\"invalid_api_key\"}}", "Content-Type: application/json"));
        RecordingSynthesisListener listener = speak(resilient());

        assertThat(listener.awaitEnd(SLACK)).isTrue();
        assertThat(listener.events()).contains("audio").last().isEqualTo("done");
        assertThat(eleven.requests()).hasSize(1);
        assertThat(openai.requests()).hasSize(1);
        assertThat(metrics.retries).isEmpty();
        assertThat(metrics.failures).containsExactly(
                new RecordingMetrics.Failure("elevenlabs", ProviderMetrics.Capability.TTS, Kind.AUTHENTICATION));
        assertThat(metrics.outcomes("elevenlabs")).containsExactly(Outcome.FAILURE);
        assertThat(metrics.outcomes("openai")).containsExactly(Outcome.SUCCESS);
    }

    @Test
    void rateLimitIsRetriedOnTheSameProviderAfterItsRetryAfter() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        eleven.script((r, x) -> {
            arrivals.add(System.nanoTime());
            if (calls.getAndIncrement() == 0) {
                x.respond(429, "{\"detail\":{\"status\":\"too_many_concurrent_requests\"}}",
                        "Content-Type: application/json", "Retry-After: 0.2");
            } else {
                x.respond(200, audio(16_000), PCM);
            }
        });
        RecordingSynthesisListener listener = speak(resilient());

        assertThat(listener.awaitEnd(SLACK)).isTrue();
        assertThat(listener.events()).last().isEqualTo("done");
        assertThat(eleven.requests()).hasSize(2);
        assertThat(openai.requests()).isEmpty();
        // The provider's wait, not the (50 ms, jittered) backoff.
        assertThat(metrics.retries).containsExactly(
                new RecordingMetrics.Retry("elevenlabs", ProviderMetrics.Capability.TTS, Duration.ofMillis(200)));
        assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aRetryAfterLongerThanTheBudgetMovesOnInsteadOfWaiting() throws Exception {
        eleven.script((r, x) -> x.respond(429, "{}", "Content-Type: application/json", "Retry-After: 30"));
        RecordingSynthesisListener listener = speak(resilient());

        assertThat(listener.awaitEnd(SLACK)).isTrue();
        assertThat(listener.events()).last().isEqualTo("done");
        assertThat(listener.elapsedToEnd()).isLessThan(SLACK);
        assertThat(eleven.requests()).hasSize(1);
        assertThat(openai.requests()).hasSize(1);
        assertThat(metrics.retries).isEmpty();
    }

    @Test
    void serviceUnavailableTwiceThenSuccessGivesOneAnswerAfterTwoRetries() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        eleven.script((r, x) -> {
            if (calls.getAndIncrement() < 2) {
                x.respond(503, "{\"error\":{\"code\":\"overloaded\"}}", "Content-Type: application/json");
            } else {
                x.respond(200, audio(16_000), PCM);
            }
        });
        RecordingSynthesisListener listener = speak(resilient());

        assertThat(listener.awaitEnd(SLACK)).isTrue();
        assertThat(listener.events()).filteredOn("done"::equals).hasSize(1);
        assertThat(listener.events()).doesNotContain("failure", "error");
        assertThat(listener.audio()).hasSize(1600);
        assertThat(eleven.requests()).hasSize(3);
        assertThat(openai.requests()).isEmpty();
        assertThat(metrics.retries).hasSize(2).allSatisfy(r -> {
            assertThat(r.provider()).isEqualTo("elevenlabs");
            // 50 ms then 100 ms, each within the 0.5 jitter.
            assertThat(r.delay()).isBetween(Duration.ofMillis(25), Duration.ofMillis(150));
        });
        assertThat(metrics.outcomes("elevenlabs")).containsExactly(Outcome.FAILURE, Outcome.FAILURE, Outcome.SUCCESS);
    }

    @Test
    void aStalledProviderIsReplacedByItsFallbackWithinTheFirstOutputBudget() throws Exception {
        eleven.script((r, x) -> {
            x.startChunked(200, PCM);
            x.holdUntilClientCloses(Duration.ofSeconds(15));
        });
        RecordingSynthesisListener listener = speak(resilient());

        assertThat(listener.awaitEnd(FIRST_OUTPUT.plus(SLACK))).isTrue();
        assertThat(listener.events()).contains("audio").last().isEqualTo("done");
        assertThat(listener.elapsedToEnd()).isGreaterThanOrEqualTo(FIRST_OUTPUT)
                .isLessThan(TIMEOUTS.firstByte());
        assertThat(eleven.requests()).hasSize(1);
        assertThat(openai.requests()).hasSize(1);
        assertThat(eleven.awaitNoOpenConnections(SLACK)).as("the stalled request is closed").isTrue();
        assertThat(eleven.closedByClient()).isEqualTo(1);
        assertThat(metrics.outcomes("elevenlabs")).containsExactly(Outcome.ABANDONED);
        assertThat(metrics.failures).extracting(RecordingMetrics.Failure::kind).containsExactly(Kind.FIRST_BYTE_TIMEOUT);
    }

    @Test
    void aFailureAfterAudioStartedIsTheCallersErrorAndNothingIsReplayed() throws Exception {
        eleven.script((r, x) -> {
            x.startChunked(200, PCM);
            x.chunk(audio(16_000));
            x.cut();
        });
        RecordingSynthesisListener listener = speak(resilient());

        assertThat(listener.awaitEnd(SLACK)).isTrue();
        assertThat(listener.events()).first().isEqualTo("audio");
        assertThat(listener.events()).last().isEqualTo("failure");
        assertThat(listener.events()).doesNotContain("done");
        assertThat(listener.failure().kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(eleven.requests()).hasSize(1);
        assertThat(openai.requests()).isEmpty();
        assertThat(metrics.retries).isEmpty();
    }

    @Test
    void everyProviderFailingEndsInOneClassifiedFailureNamingThemAll() throws Exception {
        eleven.script((r, x) -> x.respond(401, "{}"));
        openai.script((r, x) -> x.respond(403, "{}"));
        RecordingSynthesisListener listener = speak(resilient());

        assertThat(listener.awaitEnd(SLACK)).isTrue();
        assertThat(listener.events()).containsExactly("failure");
        assertThat(listener.failure().kind()).isEqualTo(Kind.PERMISSION);
        assertThat(listener.failure().safeMessage()).contains("ElevenLabs TTS: HTTP 401").contains("OpenAI TTS: HTTP 403");
    }

    @Test
    void theBreakerOpensAfterRepeatedFailuresSkipsItsProviderWithoutACallAndHalfOpensAfterTheWait() throws Exception {
        VirtualScheduler clock = new VirtualScheduler();
        Resilience resilience = new Resilience(clock,
                ProviderBreakers.Settings.consecutiveFailures(2, Duration.ofSeconds(30)), metrics);
        ResilientTextToSpeech tts = resilient(resilience, POLICY.withMaxAttempts(1), KEY);
        String fingerprint = ApiKey.of(KEY).fingerprint();

        for (int i = 0; i < 2; i++) {
            RecordingSynthesisListener listener = speak(tts);
            assertThat(listener.awaitEnd(SLACK)).isTrue();
            assertThat(listener.events()).last().isEqualTo("done");
        }
        assertThat(eleven.requests()).hasSize(2);
        assertThat(resilience.breakers().state("elevenlabs", fingerprint)).isEqualTo(BreakerState.OPEN);

        RecordingSynthesisListener skipped = speak(tts);
        assertThat(skipped.awaitEnd(SLACK)).isTrue();
        assertThat(skipped.events()).last().isEqualTo("done");
        assertThat(eleven.requests()).as("an open breaker makes no call").hasSize(2);
        assertThat(metrics.started).containsExactly("elevenlabs", "openai", "elevenlabs", "openai", "openai");

        eleven.script((r, x) -> x.respond(200, audio(16_000), PCM));
        clock.advance(Duration.ofSeconds(30).plusMillis(1));
        RecordingSynthesisListener trial = speak(tts);
        assertThat(trial.awaitEnd(SLACK)).isTrue();
        assertThat(trial.events()).last().isEqualTo("done");
        assertThat(eleven.requests()).as("half-open lets a trial call through").hasSize(3);
        assertThat(openai.requests()).hasSize(3);
        assertThat(resilience.breakers().state("elevenlabs", fingerprint)).isEqualTo(BreakerState.CLOSED);
        assertThat(metrics.breakers).filteredOn(b -> b.provider().equals("elevenlabs"))
                .extracting(RecordingMetrics.Breaker::state)
                .containsExactly(BreakerState.CLOSED, BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.CLOSED);
    }

    @Test
    void breakersAreSeparatePerCredential() throws Exception {
        eleven.script((r, x) -> {
            if (KEY.equals(r.header("xi-api-key"))) {
                x.respond(401, "{}");
            } else {
                x.respond(200, audio(16_000), PCM);
            }
        });
        VirtualScheduler clock = new VirtualScheduler();
        Resilience resilience = new Resilience(clock,
                ProviderBreakers.Settings.consecutiveFailures(2, Duration.ofSeconds(30)), metrics);
        ResilientTextToSpeech revoked = resilient(resilience, POLICY, KEY);
        ResilientTextToSpeech valid = resilient(resilience, POLICY, OTHER_KEY);
        for (int i = 0; i < 3; i++) {
            assertThat(speak(revoked).awaitEnd(SLACK)).isTrue();
        }
        assertThat(eleven.requests()).hasSize(2);

        RecordingSynthesisListener listener = speak(valid);
        assertThat(listener.awaitEnd(SLACK)).isTrue();
        assertThat(listener.events()).last().isEqualTo("done");
        assertThat(eleven.requests()).hasSize(3);
        assertThat(eleven.requests().getLast().header("xi-api-key")).isEqualTo(OTHER_KEY);
        assertThat(openai.requests()).hasSize(3);
        assertThat(resilience.breakers().state("elevenlabs", ApiKey.of(KEY).fingerprint())).isEqualTo(BreakerState.OPEN);
        assertThat(resilience.breakers().state("elevenlabs", ApiKey.of(OTHER_KEY).fingerprint()))
                .isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void noKeyReachesAMetricALogLineOrAMessage() throws Exception {
        String echo = "{\"detail\":{\"status\":\"" + KEY + "\",\"message\":\"bad key " + KEY + "\"}}";
        eleven.script((r, x) -> x.respond(401, echo, "Content-Type: application/json"));
        openai.script((r, x) -> x.respond(503, "{\"error\":{\"code\":\"" + OPENAI_KEY + "\"}}", "Retry-After: 0"));
        try (LogCapture logs = new LogCapture()) {
            RecordingSynthesisListener classified = speak(resilient());
            RecordingSynthesisListener plain = RecordingSynthesisListener.plain();
            resilient().synthesize("Hello.", plain);
            assertThat(classified.awaitEnd(SLACK)).isTrue();
            assertThat(plain.awaitEnd(SLACK)).isTrue();

            assertThat(classified.failure().safeMessage()).contains("[redacted]");
            for (String secret : List.of(KEY, OPENAI_KEY, KEY.substring(10), OPENAI_KEY.substring(10))) {
                assertThat(classified.failure().safeMessage()).doesNotContain(secret);
                assertThat(classified.failure().toString()).doesNotContain(secret);
                assertThat(plain.error()).doesNotContain(secret);
                assertThat(metrics.everything()).doesNotContain(secret);
                assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(secret));
            }
        }
        assertThat(metrics.breakers).extracting(RecordingMetrics.Breaker::fingerprint)
                .allMatch(f -> f.matches("[0-9a-f]{8}"));
    }

    @Test
    void closingDuringABackoffStopsTheRequestAndNothingIsLeftOpen() throws Exception {
        eleven.script((r, x) -> x.respond(503, "{}", "Retry-After: 1"));
        ResilientTextToSpeech tts = resilient();
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        TextToSpeech.Synthesis synthesis = tts.synthesize("Hello.", listener);
        assertThat(Await.until(SLACK, () -> metrics.retries.size() == 1)).isTrue();

        synthesis.close();
        listener.markClosed();

        assertThat(listener.awaitEnd(Duration.ofMillis(1500))).as("nothing after close, past the retry").isFalse();
        assertThat(eleven.requests()).hasSize(1);
        assertThat(openai.requests()).isEmpty();
        assertThat(listener.eventsAfterClose()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void closingMidStreamClosesTheProvidersRequestAndSilencesTheListener() throws Exception {
        eleven.script((r, x) -> {
            x.startChunked(200, PCM);
            x.chunk(audio(16_000));
            x.holdUntilClientCloses(Duration.ofSeconds(15));
        });
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        TextToSpeech.Synthesis synthesis = resilient().synthesize("Hello.", listener);
        assertThat(listener.awaitAudio(SLACK)).isTrue();

        synthesis.close();
        listener.markClosed();

        assertThat(eleven.awaitNoOpenConnections(SLACK)).isTrue();
        assertThat(eleven.closedByClient()).isEqualTo(1);
        assertThat(listener.awaitEnd(FIRST_OUTPUT.multipliedBy(2))).isFalse();
        assertThat(listener.eventsAfterClose()).isEmpty();
        assertThat(metrics.outcomes("elevenlabs")).containsExactly(Outcome.CANCELLED);
        assertNothingLeft();
    }

    @Test
    void theIssuesChainFallsFromElevenLabsThroughOpenAiToOfflineFlite() throws Exception {
        eleven.script((r, x) -> x.respond(500, "{}"));
        openai.script((r, x) -> x.respond(401, "{}"));
        try (OfflineSpeech offline = OfflineSpeech.open();
                OfflineTextToSpeech flite = new OfflineTextToSpeech(offline, "slt")) {
            Resilience resilience = new Resilience(scheduler, ProviderBreakers.Settings.defaults(), metrics);
            ResilientTextToSpeech tts = resilience.textToSpeech(FallbackChain.<TextToSpeech>builder()
                    .add("elevenlabs", ApiKey.of(KEY), elevenLabs(KEY))
                    .add("openai", ApiKey.of(OPENAI_KEY), openAi())
                    .add("flite", flite)
                    .build(), POLICY.withMaxAttempts(1).withFirstOutput(Duration.ofSeconds(5)));
            RecordingSynthesisListener listener = speak(tts);

            assertThat(listener.awaitEnd(Duration.ofSeconds(10))).isTrue();
            assertThat(listener.events()).last().isEqualTo("done");
            assertThat(listener.audio().length).as("about a second of speech").isGreaterThan(8_000);
            assertThat(metrics.outcomes("elevenlabs")).containsExactly(Outcome.FAILURE);
            assertThat(metrics.outcomes("openai")).containsExactly(Outcome.FAILURE);
            assertThat(metrics.outcomes("flite")).containsExactly(Outcome.SUCCESS);
        }
    }

    private void assertNothingLeft() throws Exception {
        for (AutoCloseable p : providers) {
            p.close();
        }
        providers.clear();
        assertThat(eleven.awaitNoOpenConnections(SLACK)).isTrue();
        assertThat(openai.awaitNoOpenConnections(SLACK)).isTrue();
        assertThat(Await.until(SLACK, () -> {
            Set<String> now = new HashSet<>(Leaks.httpClientThreads());
            now.removeAll(threadsBefore);
            return now.isEmpty();
        })).as("HTTP client threads left").isTrue();
    }
}
