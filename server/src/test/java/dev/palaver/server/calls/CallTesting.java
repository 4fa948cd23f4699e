package dev.palaver.server.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.testing.Http;

/** Agents and provider credentials for call tests, over the real API. */
public final class CallTesting {

    /** A reply long enough (about ten seconds spoken) for a caller to cut into. */
    public static final String LONG_REPLY = "We are open from nine in the morning until five in the afternoon from Monday "
            + "to Friday. On Saturdays we open from nine until noon. We are closed on Sundays and on public holidays, "
            + "and in August we close for two weeks for the summer break.";

    private CallTesting() {
    }

    /** Polls {@code condition} every 50 ms until it holds, or fails after {@code timeout}. */
    public static void await(java.util.function.BooleanSupplier condition, java.time.Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** An LLM agent on offline speech (pocketsphinx, flite) and the org's OpenAI-compatible model. */
    public static String llmAgentBody(String name, String firstMessage) {
        return """
                {"name": "%s", "brain": "llm", "personaPrompt": "You are the front desk of a dental clinic.",
                 "firstMessage": "%s", "language": "en-US",
                 "providers": {"stt": {"provider": "offline", "fallbacks": []},
                               "llm": {"provider": "openai", "model": "fake-model", "fallbacks": []},
                               "tts": {"provider": "offline", "fallbacks": []}},
                 "endpointing": {"delayMs": 500},
                 "interruption": {"thresholdMs": 300, "backchannels": false, "falseInterruption": "listen"},
                 "tools": [], "httpTools": [], "knowledgeBaseIds": [], "memory": {"enabled": false},
                 "limits": {"maxDurationSeconds": 300, "silenceTimeoutSeconds": 30}, "enabled": true}
                """.formatted(name, firstMessage);
    }

    public static UUID createAgent(Http http, String token, String body) {
        HttpResponse<String> created = http.postJson("/api/v1/agents", body, "Authorization", "Bearer " + token);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return UUID.fromString(Http.json(created).path("id").asString());
    }

    public static void useLanguageModel(Http http, String token, String baseUrl) {
        HttpResponse<String> put = http.send(http.request("/api/v1/provider-credentials/openai")
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"apiKey\":\"sk-fake-test-key-123456\",\"baseUrl\":\"" + baseUrl + "\"}")));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }

    public static JsonNode call(Http http, String token, UUID callId) {
        HttpResponse<String> got = http.get("/api/v1/calls/" + callId, "Authorization", "Bearer " + token);
        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        return Http.json(got);
    }
}
