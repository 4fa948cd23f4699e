package dev.palaver.providers.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.fake.FakeLanguageModel;
import dev.palaver.media.fake.FakeReply;
import dev.palaver.media.fake.Latency;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.UserMessage;
import dev.palaver.media.time.SystemScheduler;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.openai.OpenAiCompatibleConfig;
import dev.palaver.providers.openai.OpenAiCompatibleLanguageModel;
import dev.palaver.providers.resilience.ProviderMetrics.Outcome;
import dev.palaver.providers.testing.ClassifyingListener;
import dev.palaver.providers.testing.Leaks;
import dev.palaver.providers.testing.LoopbackServer;
import dev.palaver.providers.testing.RecordingListener;
import dev.palaver.providers.testing.Waits;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The resilient language model over two real OpenAI-compatible providers on loopback servers, and the fake. */
class ResilientLanguageModelTest {

    private static final String KEY = "sk-groq-Z8x6C4v2B0n9M7q5";
    private static final String FALLBACK_KEY = "sk-openai-Q1w3E5r7T9y2U4i6";
    private static final HttpTimeouts TIMEOUTS = new HttpTimeouts(Duration.ofMillis(500), Duration.ofSeconds(8),
            Duration.ofSeconds(2), Duration.ofSeconds(20));
    private static final Duration FIRST_TOKEN = Duration.ofMillis(700);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final LlmRequest REQUEST = new LlmRequest(List.of(new UserMessage("When are you open?")), List.of());

    private SystemScheduler scheduler;
    private LoopbackServer primary;
    private LoopbackServer fallback;
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final List<AutoCloseable> providers = new ArrayList<>();
    private Set<String> threadsBefore;

    @BeforeEach
    void start() {
        threadsBefore = Leaks.httpClientThreads();
        scheduler = new SystemScheduler();
        primary = LoopbackServer.start();
        fallback = LoopbackServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable p : providers) {
            p.close();
        }
        primary.close();
        fallback.close();
        scheduler.close();
    }

    private LanguageModel openAi(LoopbackServer server, String key) {
        OpenAiCompatibleLanguageModel model = new OpenAiCompatibleLanguageModel(OpenAiCompatibleConfig
                .builder(URI.create(server.url("") + "/v1"), "m").apiKey(key).timeouts(TIMEOUTS).build());
        providers.add(model);
        return model;
    }

    private ResilientLanguageModel resilient(LanguageModel second) {
        Resilience resilience = new Resilience(scheduler, ProviderBreakers.Settings.defaults(), metrics);
        return resilience.languageModel(FallbackChain.<LanguageModel>builder()
                .add("groq", ApiKey.of(KEY), openAi(primary, KEY))
                .add("openai", ApiKey.of(FALLBACK_KEY), second)
                .build(), ResiliencePolicy.languageModel().withBackoff(Duration.ofMillis(50), 2, 0.5)
                .withFirstOutput(FIRST_TOKEN));
    }

    private ResilientLanguageModel resilient() {
        return resilient(openAi(fallback, FALLBACK_KEY));
    }

    private static String chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = Json.object().put("id", "c1").put("object", "chat.completion.chunk").put("model", "m");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return "data: " + Json.write(chunk) + "\n\n";
    }

    private static String text(String delta) {
        return chunk(Json.object().put("content", delta), null);
    }

    private static String end() {
        return chunk(Json.object(), "stop") + "data: [DONE]\n\n";
    }

    private static LoopbackServer.Response answer(String... deltas) {
        LoopbackServer.Response response = LoopbackServer.Response.sse();
        for (String d : deltas) {
            response.write(text(d));
        }
        return response.write(end());
    }

    @Test
    void unauthorizedMovesToTheFallbackAtOnce() {
        primary.enqueue(LoopbackServer.Response.status(401).fixedLength()
                .write("{\"error\":{\"code\":\"invalid_api_key\"}}"));
        fallback.enqueue(answer("We open ", "at nine."));
        ClassifyingListener listener = new ClassifyingListener();
        resilient().stream(REQUEST, listener);

        listener.awaitTerminal(WAIT);
        assertThat(listener.text()).isEqualTo("We open at nine.");
        assertThat(listener.done()).isTrue();
        assertThat(primary.requestCount()).isEqualTo(1);
        assertThat(fallback.requestCount()).isEqualTo(1);
        assertThat(metrics.retries).isEmpty();
    }

    @Test
    void aModelThatAcceptsButNeverSpeaksIsReplacedWithinTheFirstTokenBudget() {
        primary.enqueue(LoopbackServer.Response.sse().stall());
        fallback.enqueue(answer("Nine to five."));
        ClassifyingListener listener = new ClassifyingListener();
        resilient().stream(REQUEST, listener);

        listener.awaitTerminal(FIRST_TOKEN.plus(WAIT));
        assertThat(listener.text()).isEqualTo("Nine to five.");
        assertThat(listener.elapsed()).isGreaterThanOrEqualTo(FIRST_TOKEN).isLessThan(TIMEOUTS.firstByte());
        assertThat(primary.awaitNoOpenConnections(WAIT)).as("the stalled stream is closed").isTrue();
        assertThat(metrics.outcomes("groq")).containsExactly(Outcome.ABANDONED);
        assertThat(metrics.outcomes("openai")).containsExactly(Outcome.SUCCESS);
        assertThat(metrics.finished.getLast().firstOutput()).isPresent();
    }

    @Test
    void aStreamThatBreaksAfterItsFirstTokenIsTheCallersErrorAndIsNotReplayed() {
        primary.enqueue(LoopbackServer.Response.sse().write(text("We open at")).drop());
        fallback.enqueue(answer("Never heard."));
        ClassifyingListener listener = new ClassifyingListener();
        resilient().stream(REQUEST, listener);

        listener.awaitTerminal(WAIT);
        assertThat(listener.deltas()).containsExactly("We open at");
        assertThat(listener.failure().kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(listener.terminalCount()).isEqualTo(1);
        assertThat(fallback.requestCount()).isZero();
        assertThat(metrics.outcomes("groq")).containsExactly(Outcome.FAILURE);
    }

    @Test
    void serverErrorsAreRetriedOnTheSameModelUntilItAnswers() {
        primary.enqueue(LoopbackServer.Response.status(503).fixedLength().write("{}"));
        primary.enqueue(answer("Yes."));
        RecordingListener listener = new RecordingListener();
        resilient().stream(REQUEST, listener);

        listener.awaitTerminal(WAIT);
        assertThat(listener.text()).isEqualTo("Yes.");
        assertThat(primary.requestCount()).isEqualTo(2);
        assertThat(fallback.requestCount()).isZero();
        assertThat(metrics.retries).hasSize(1);
    }

    @Test
    void plainErrorsOfAProviderThatDoesNotClassifyStillFallBack() {
        primary.enqueue(LoopbackServer.Response.status(400).fixedLength().write("{}"));
        FakeLanguageModel fake = FakeLanguageModel.builder(scheduler).timeToFirstToken(Latency.millis(5))
                .replies(FakeReply.fails("scripted outage"))
                .build();
        Resilience resilience = new Resilience(scheduler, ProviderBreakers.Settings.defaults(), metrics);
        LanguageModel model = resilience.languageModel(FallbackChain.<LanguageModel>builder()
                .add("fake", fake)
                .add("groq", ApiKey.of(KEY), openAi(primary, KEY))
                .add("openai", ApiKey.of(FALLBACK_KEY), openAi(fallback, FALLBACK_KEY))
                .build(), ResiliencePolicy.languageModel().withMaxAttempts(1));
        fallback.enqueue(answer("Third time lucky."));
        RecordingListener listener = new RecordingListener();
        model.stream(REQUEST, listener);

        listener.awaitTerminal(WAIT);
        assertThat(listener.text()).isEqualTo("Third time lucky.");
        assertThat(metrics.failures).extracting(RecordingMetrics.Failure::kind)
                .containsExactly(Kind.SERVER_ERROR, Kind.BAD_REQUEST);
        assertThat(fake.openStreams()).isZero();
    }

    @Test
    void closingMidStreamClosesTheConnectionAndLeavesNoThread() throws Exception {
        primary.enqueue(LoopbackServer.Response.sse().write(text("Let me")).stall());
        ClassifyingListener listener = new ClassifyingListener();
        LanguageModel.Stream stream = resilient().stream(REQUEST, listener);
        listener.awaitFirstText(WAIT);

        stream.close();

        assertThat(primary.awaitNoOpenConnections(WAIT)).isTrue();
        assertThat(Waits.until(() -> metrics.outcomes("groq").contains(Outcome.CANCELLED), WAIT)).isTrue();
        assertThat(listener.events()).containsExactly(new RecordingListener.Text("Let me"));
        for (AutoCloseable p : providers) {
            p.close();
        }
        providers.clear();
        assertThat(Leaks.noNewHttpClientThreads(threadsBefore, WAIT)).isTrue();
        assertThat(listener.events()).containsExactly(new RecordingListener.Text("Let me"));
    }
}
