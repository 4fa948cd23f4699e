package dev.palaver.server.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavReader;
import dev.palaver.server.brain.CallControl;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.testing.SharedPalaverContext;

/**
 * A whole call through the runtime with a real-time simulated caller, offline speech (flite speaks,
 * pocketsphinx listens) and an OpenAI-compatible model on loopback: the record fills in while the call
 * runs, and at the end holds every event, the transcript with the interrupted reply cut to what was heard,
 * and a two-channel recording as long as the call.
 */
class CallRuntimeTest extends SharedPalaverContext {


    @Test
    void aCallIsRecordedAsItHappensAndEndsOnce() throws Exception {
        UUID org = IdentityTestAccess.organization(context);
        String token = IdentityTestAccess.adminToken(context, org);
        try (FakeOpenAi llm = new FakeOpenAi(CallTesting.LONG_REPLY)) {
            CallTesting.useLanguageModel(http, token, llm.baseUrl());
            UUID agent = CallTesting.createAgent(http, token,
                    CallTesting.llmAgentBody("Clinic desk", "Hello, this is the clinic."));
            CallRuntime runtime = context.getBean(CallRuntime.class);
            PacedCaller caller = new PacedCaller();

            LiveCall call = runtime.start(new CallStart(org, agent, CallDirection.WEB, null, null, "web:tester",
                    Map.of("ticket", "T-1")), caller, CallControl.NONE);
            assertThat(runtime.live(org, call.callId())).isPresent();

            // The greeting's transcript segment is in the database while the call still runs.
            CallTesting.await(() -> segments(token, call.callId()).stream().anyMatch(s -> s.path("role").asString().equals("agent")),
                    Duration.ofSeconds(20));
            JsonNode during = CallTesting.call(http, token, call.callId());
            assertThat(during.path("status").asString()).isEqualTo("in_progress");
            assertThat(during.hasNonNull("endedAt")).isFalse();
            assertThat(during.path("metadata").path("ticket").asString()).isEqualTo("T-1");

            int beforeQuestion = caller.voicedFrames();
            caller.say(FliteSpeech.say("What are your opening hours?"));
            // The answer starts playing; the caller cuts in a second into it.
            CallTesting.await(() -> caller.voicedFrames() > beforeQuestion + 50, Duration.ofSeconds(30));
            llm.reply("All right.");
            caller.say(FliteSpeech.say("Sorry, wait, can I book an appointment?"));
            CallTesting.await(() -> caller.clears() > 0, Duration.ofSeconds(20));
            CallTesting.await(() -> segments(token, call.callId()).stream().filter(s -> s.path("role").asString().equals("agent"))
                    .count() >= 3, Duration.ofSeconds(30));
            Thread.sleep(500);
            caller.hangUpCaller();
            assertThat(call.awaitEnd(Duration.ofSeconds(60))).isTrue();
            assertThat(call.ended().toCompletableFuture().get().endReason()).isEqualTo("caller_hung_up");
            assertThat(runtime.live(org, call.callId())).isEmpty();

            JsonNode record = CallTesting.call(http, token, call.callId());
            assertThat(record.path("status").asString()).isEqualTo("completed");
            assertThat(record.path("endReason").asString()).isEqualTo("caller_hung_up");
            assertThat(record.path("direction").asString()).isEqualTo("web");
            assertThat(record.path("agentVersion").asInt()).isEqualTo(1);
            assertThat(record.path("eventsDropped").asInt()).isZero();

            List<String> types = new ArrayList<>();
            record.path("events").forEach(e -> types.add(e.path("type").asString()));
            assertThat(types.getFirst()).isEqualTo("started");
            assertThat(types.getLast()).isEqualTo("ended");
            assertThat(types).contains("turn", "interrupted").containsOnlyOnce("ended");
            assertThat(record.path("events").get(types.size() - 1).path("payload").path("reason").asString())
                    .isEqualTo("caller_hung_up");
            assertThat(record.path("turns").size()).isGreaterThanOrEqualTo(1);
            assertThat(record.path("turns").get(0).has("platformOverheadMs")).isTrue();

            List<JsonNode> agentSegments = new ArrayList<>();
            List<JsonNode> callerSegments = new ArrayList<>();
            record.path("transcript").forEach(s -> (s.path("role").asString().equals("agent") ? agentSegments : callerSegments).add(s));
            assertThat(agentSegments.getFirst().path("text").asString()).isEqualTo("Hello, this is the clinic.");
            assertThat(callerSegments).isNotEmpty();
            JsonNode cutOff = agentSegments.stream().filter(s -> s.path("interrupted").asBoolean()).findFirst().orElseThrow();
            String heard = cutOff.path("text").asString();
            assertThat(heard).isNotEmpty().hasSizeLessThan(CallTesting.LONG_REPLY.length() / 2);
            assertThat(CallTesting.LONG_REPLY).startsWith(heard.replaceAll("[.,]$", ""));
            assertThat(agentSegments.getLast().path("text").asString()).isEqualTo("All right.");

            // The recording: complete, SHA-256 as stored, two channels, as long as the call.
            JsonNode recording = record.path("recording");
            assertThat(recording.path("status").asString()).isEqualTo("complete");
            HttpResponse<byte[]> wav = http.send(http.request("/api/v1/calls/" + call.callId() + "/recording")
                    .header("Authorization", "Bearer " + token).GET(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(wav.statusCode()).isEqualTo(200);
            assertThat(wav.headers().firstValue("Content-Type")).hasValue("audio/wav");
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(wav.body())))
                    .isEqualTo(recording.path("sha256").asString());
            assertThat((long) wav.body().length).isEqualTo(recording.path("bytes").asLong());
            WavAudio audio = WavReader.read(new ByteArrayInputStream(wav.body()));
            assertThat(audio.channels()).isEqualTo(2);
            assertThat(audio.sampleRate()).isEqualTo(16_000);
            long callMillis = Duration.between(Instant.parse(record.path("answeredAt").asString()),
                    Instant.parse(record.path("endedAt").asString())).toMillis();
            assertThat(audio.durationSeconds() * 1000).isCloseTo(callMillis, within(500.0));
            assertThat(rms(audio.channel(0))).as("caller channel").isGreaterThan(100);
            assertThat(rms(audio.channel(1))).as("agent channel").isGreaterThan(100);

            HttpResponse<byte[]> range = http.send(http.request("/api/v1/calls/" + call.callId() + "/recording")
                    .header("Authorization", "Bearer " + token).header("Range", "bytes=0-43").GET(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).hasSize(44).startsWith("RIFF".getBytes());

            // Ending again changes nothing.
            call.end("agent_hung_up");
            call.hangUp();
            assertThat(CallTesting.call(http, token, call.callId()).path("endReason").asString()).isEqualTo("caller_hung_up");
            assertThat(http.postJson("/api/v1/calls/" + call.callId() + "/hangup", "{}", "Authorization",
                    "Bearer " + token).statusCode()).isEqualTo(409);
        }
    }

    @Test
    void aHangUpAskedOfAnotherNodeReachesTheNodeHoldingTheCall() throws Exception {
        UUID org = IdentityTestAccess.organization(context);
        String token = IdentityTestAccess.adminToken(context, org);
        try (FakeOpenAi llm = new FakeOpenAi("Fine.")) {
            CallTesting.useLanguageModel(http, token, llm.baseUrl());
            UUID agent = CallTesting.createAgent(http, token, CallTesting.llmAgentBody("Remote desk", "Hello there."));
            CallRuntime runtime = context.getBean(CallRuntime.class);
            LiveCall call = runtime.start(new CallStart(org, agent, CallDirection.WEB, null, null, null, Map.of()),
                    new PacedCaller(), CallControl.NONE);
            // What another node does with POST /hangup for a call it does not hold.
            assertThat(context.getBean(CallRecords.class).requestHangUp(org, call.callId())).isTrue();
            assertThat(call.awaitEnd(Duration.ofSeconds(10))).isTrue();
            assertThat(CallTesting.call(http, token, call.callId()).path("endReason").asString()).isEqualTo("hangup_requested");
            assertThat(context.getBean(CallRecords.class).requestHangUp(org, call.callId())).isFalse();

            // Through the API, for an open call another node holds (its media attached there): accepted and handed on.
            UUID elsewhere = runtime.reserve(new CallStart(org, agent, CallDirection.INBOUND, null, null, null, Map.of()),
                    dev.palaver.server.calls.CallStatus.RINGING);
            assertThat(context.getBean(CallRecords.class).markAnswered(org, elsewhere, "node-elsewhere")).isTrue();
            String member = IdentityTestAccess.tokenFor(context, org, dev.palaver.server.identity.Role.MEMBER);
            assertThat(http.postJson("/api/v1/calls/" + elsewhere + "/hangup", "{}", "Authorization", "Bearer " + member)
                    .statusCode()).isEqualTo(202);
            assertThat(context.getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
                    .sql("select hangup_requested_at is not null from calls where id = ?").param(elsewhere)
                    .query(Boolean.class).single()).isTrue();
        }
    }

    private List<JsonNode> segments(String token, UUID callId) {
        List<JsonNode> out = new ArrayList<>();
        CallTesting.call(http, token, callId).path("transcript").forEach(out::add);
        return out;
    }

    static double rms(short[] samples) {
        double sum = 0;
        for (short s : samples) {
            sum += (double) s * s;
        }
        return Math.sqrt(sum / Math.max(1, samples.length));
    }

}
