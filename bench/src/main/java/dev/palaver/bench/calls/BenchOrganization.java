package dev.palaver.bench.calls;

import dev.palaver.providers.http.Json;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.JsonNode;

/**
 * Sets up the logged-in admin's organization for the benchmark through the REST API, as an operator would:
 * provider credentials whose base URLs point at the fakes (Deepgram STT, OpenAI chat, ElevenLabs TTS), an
 * LLM agent using them, a Twilio account and a phone number routed to the agent.
 */
final class BenchOrganization {

    static final String AGENT_NAME = "Benchmark front desk";
    static final String NUMBER = "+14155550123";

    private BenchOrganization() {
    }

    /** Returns the line simulated callers ring. */
    static TwilioLine setUp(PalaverApi api, String sttUrl, String httpUrl, int endpointingMs, String publicUrl)
            throws IOException, InterruptedException {
        // The server turns Deepgram's http(s) base URL into ws(s) for live recognition.
        api.put("/api/v1/provider-credentials/deepgram", Json.fields("apiKey", "fake-deepgram-key",
                "baseUrl", sttUrl.replaceFirst("^ws", "http")));
        api.put("/api/v1/provider-credentials/openai", Json.fields("apiKey", "fake-openai-key", "baseUrl", httpUrl + "/v1"));
        api.put("/api/v1/provider-credentials/elevenlabs", Json.fields("apiKey", "fake-elevenlabs-key", "baseUrl", httpUrl));
        String agentId = agent(api, endpointingMs);
        String accountSid = "AC" + HexFormat.of().formatHex(random(16));
        String authToken = HexFormat.of().formatHex(random(16));
        api.put("/api/v1/telephony/twilio", Json.fields("accountSid", accountSid, "authToken", authToken));
        api.post("/api/v1/phone-numbers", Json.fields("number", NUMBER, "agentId", agentId));
        return new TwilioLine(publicUrl, accountSid, authToken, NUMBER);
    }

    private static String agent(PalaverApi api, int endpointingMs) throws IOException, InterruptedException {
        String body = """
                {"name": "%s", "brain": "llm",
                 "personaPrompt": "You are the front desk of a dental practice. Answer briefly.",
                 "firstMessage": "Hello, thanks for calling.",
                 "language": "en-US",
                 "providers": {"stt": {"provider": "deepgram"}, "llm": {"provider": "openai"},
                               "tts": {"provider": "elevenlabs"}},
                 "endpointing": {"delayMs": %d},
                 "interruption": {"thresholdMs": 400, "backchannels": true, "falseInterruption": "resume"},
                 "limits": {"maxDurationSeconds": 7200, "silenceTimeoutSeconds": 60}}
                """.formatted(AGENT_NAME, endpointingMs);
        JsonNode agent = api.post("/api/v1/agents", body);
        String id = Json.string(agent, "id");
        if (id == null) {
            throw new IOException("creating the agent answered no id: " + agent);
        }
        return id;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
