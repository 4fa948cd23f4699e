package dev.palaver.server.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.calls.CallTesting;
import dev.palaver.server.calls.FakeOpenAi;
import dev.palaver.server.calls.FliteSpeech;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.JavaProcess;
import dev.palaver.server.testing.TestDatabases;
import dev.palaver.server.testing.TestDirs;

/**
 * {@code kill -9} of the server in the middle of a phone call, then a restart: the turns before the kill are
 * in the transcript, and the call is closed as {@code node_lost} with its recording salvaged.
 */
class NodeLostTest {

    private static final String PASSWORD = "node-lost-admin-password-1";

    @Test
    void aCallCutOffByKillMinusNineKeepsItsTurnsAndEndsAsNodeLost() throws Exception {
        TestDatabases.Database db = TestDatabases.fresh();
        Path dir = TestDirs.target().resolve("node-lost-" + UUID.randomUUID());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", "0");
        env.put("PALAVER_DATA_DIR", dir.resolve("data").toString());
        env.put("PALAVER_DATABASE_URL", db.url());
        env.put("PALAVER_DATABASE_USERNAME", db.username());
        env.put("PALAVER_DATABASE_PASSWORD", db.password());
        env.put("PALAVER_ADMIN_EMAIL", "owner@example.test");
        env.put("PALAVER_ADMIN_PASSWORD", PASSWORD);
        env.put("PALAVER_PUBLIC_URL", TwilioFixtures.PUBLIC_URL);
        env.put("PALAVER_NODE_ID", "node-lost-test");

        UUID callId;
        try (FakeOpenAi llm = new FakeOpenAi("We open at nine.")) {
            try (JavaProcess first = JavaProcess.start("dev.palaver.server.PalaverApplication", env, dir)) {
                int port = readyPort(first);
                try (Http http = new Http(port)) {
                    String token = login(http);
                    CallTesting.useLanguageModel(http, token, llm.baseUrl());
                    TwilioFixtures.putAccount(http, token, null);
                    UUID agent = CallTesting.createAgent(http, token, CallTesting.llmAgentBody("Crash desk", "Hello, this is the clinic."));
                    String number = "+14155557001";
                    assertThat(http.postJson("/api/v1/phone-numbers", "{\"number\":\"" + number + "\",\"agentId\":\"" + agent + "\"}",
                            "Authorization", "Bearer " + token).statusCode()).isEqualTo(201);
                    String callSid = TwilioFixtures.callSid();
                    String voice = TwilioFixtures.postForm(http, "/telephony/twilio/voice",
                            TwilioFixtures.voiceParams(callSid, "+14155550199", number), TwilioFixtures.AUTH_TOKEN).body();
                    TwilioSimulator phone = TwilioSimulator.connect(URI.create("ws://127.0.0.1:" + port + "/telephony/twilio/media"),
                            TwilioFixtures.ACCOUNT_SID, callSid, TwilioFixtures.token(voice));
                    JsonNode list = Http.json(http.get("/api/v1/calls", "Authorization", "Bearer " + token));
                    callId = UUID.fromString(list.path("items").get(0).path("id").asString());
                    UUID id = callId;
                    CallTesting.await(() -> CallTesting.call(http, token, id).path("transcript").size() >= 1, Duration.ofSeconds(30));
                    phone.say(FliteSpeech.say("What time do you open?"));
                    CallTesting.await(() -> CallTesting.call(http, token, id).path("transcript").size() >= 3, Duration.ofSeconds(40));
                    // Mid-call, the caller still on the line: SIGKILL.
                    first.process().destroyForcibly();
                    first.awaitExit(30);
                    phone.close();
                }
            }
        }
        try (JavaProcess second = JavaProcess.start("dev.palaver.server.PalaverApplication", env, dir)) {
            int port = readyPort(second);
            try (Http http = new Http(port)) {
                String token = login(http);
                JsonNode call = CallTesting.call(http, token, callId);
                assertThat(call.path("endReason").asString()).isEqualTo("node_lost");
                assertThat(call.path("status").asString()).isEqualTo("completed");
                JsonNode transcript = call.path("transcript");
                assertThat(transcript.get(0).path("role").asString()).isEqualTo("agent");
                assertThat(transcript.get(0).path("text").asString()).isEqualTo("Hello, this is the clinic.");
                assertThat(transcript.get(1).path("role").asString()).isEqualTo("caller");
                assertThat(transcript.get(2).path("text").asString()).isEqualTo("We open at nine.");
                JsonNode events = call.path("events");
                assertThat(events.get(events.size() - 1).path("type").asString()).isEqualTo("ended");
                assertThat(events.get(events.size() - 1).path("payload").path("reason").asString()).isEqualTo("node_lost");
                assertThat(call.path("recording").path("status").asString()).isEqualTo("complete");
                assertThat(call.path("recording").path("durationMs").asLong()).isGreaterThan(1_000);
                HttpResponse<byte[]> wav = http.send(http.request("/api/v1/calls/" + callId + "/recording")
                        .header("Authorization", "Bearer " + token).GET(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(wav.statusCode()).isEqualTo(200);
            }
            second.process().destroy();
            second.awaitExit(60);
        }
    }

    private static int readyPort(JavaProcess palaver) {
        String ready = palaver.awaitStdoutLine(l -> l.contains("Palaver is ready at http://"), 240);
        Matcher port = Pattern.compile("Palaver is ready at http://[^:]+:(\\d+)").matcher(ready);
        assertThat(port.find()).isTrue();
        return Integer.parseInt(port.group(1));
    }

    private static String login(Http http) {
        HttpResponse<String> login = http.postJson("/api/v1/auth/login",
                "{\"email\":\"owner@example.test\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return Http.json(login).path("accessToken").asString();
    }
}
