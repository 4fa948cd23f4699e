package dev.palaver.server.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import tools.jackson.databind.JsonNode;

import dev.palaver.media.audio.MuLaw;
import dev.palaver.server.brain.FakeChatServer;
import dev.palaver.server.calls.CallRuntime;
import dev.palaver.server.calls.CallTesting;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.testing.Scrapes;
import dev.palaver.server.testing.SharedPalaverContext;

/**
 * The agent's call-control tools over a real Twilio call: an {@code llm} agent whose model (a scripted
 * OpenAI-compatible server on loopback) answers the caller's keys with {@code transfer_call},
 * {@code send_dtmf} or {@code end_call}; the media stream is {@link TwilioSimulator}, Twilio's REST API is
 * {@link FakeTwilioRest}.
 */
@TestPropertySource(properties = "palaver.public-url=" + TwilioFixtures.PUBLIC_URL)
class TwilioAgentToolsTest extends SharedPalaverContext {

    private static final String GREETING = "Hello, this is the clinic.";

    UUID org;
    String admin;
    String number;
    FakeTwilioRest twilio;
    FakeChatServer llm;

    @BeforeEach
    void organizationWithTwilioAndAModel() throws Exception {
        org = IdentityTestAccess.organization(context);
        admin = IdentityTestAccess.adminToken(context, org);
        twilio = new FakeTwilioRest(TwilioFixtures.ACCOUNT_SID, TwilioFixtures.AUTH_TOKEN);
        llm = new FakeChatServer();
        context.getBean(JdbcClient.class).sql("delete from twilio_accounts where account_sid = ?")
                .param(TwilioFixtures.ACCOUNT_SID).update();
        TwilioFixtures.putAccount(http, admin, twilio.baseUrl());
        CallTesting.useLanguageModel(http, admin, llm.baseUrl());
        UUID agent = CallTesting.createAgent(http, admin, CallTesting.llmAgentBody("Tools desk " + UUID.randomUUID(), GREETING)
                .replace("\"tools\": []", "\"tools\": [\"transfer_call\", \"send_dtmf\", \"end_call\"]"));
        number = "+1415557" + String.format("%04d", (int) (Math.random() * 10_000));
        HttpResponse<String> created = http.postJson("/api/v1/phone-numbers",
                "{\"number\":\"" + number + "\",\"agentId\":\"" + agent + "\"}", "Authorization", "Bearer " + admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @AfterEach
    void tearDown() {
        twilio.close();
        llm.close();
    }

    private record Ringing(UUID callId, String callSid, TwilioSimulator phone) {
    }

    /** An inbound call, answered: the greeting has been said. Then the caller presses {@code keys}. */
    private Ringing callAndPress(String keys) throws Exception {
        String callSid = TwilioFixtures.callSid();
        String token = TwilioFixtures.token(TwilioFixtures.postForm(http, "/telephony/twilio/voice",
                TwilioFixtures.voiceParams(callSid, "+14155550160", number), TwilioFixtures.AUTH_TOKEN).body());
        UUID callId = context.getBean(CallRuntime.class).findByProviderCallId(callSid).orElseThrow().id();
        TwilioSimulator phone = TwilioSimulator.connect(URI.create("ws://127.0.0.1:" + port + "/telephony/twilio/media"),
                TwilioFixtures.ACCOUNT_SID, callSid, token);
        CallTesting.await(() -> CallTesting.call(http, admin, callId).path("transcript").toString().contains(GREETING),
                Duration.ofSeconds(20));
        CallTesting.await(() -> !phone.marksEchoed().isEmpty(), Duration.ofSeconds(20));
        for (char key : keys.toCharArray()) {
            phone.pressKey(key);
        }
        return new Ringing(callId, callSid, phone);
    }

    private JsonNode ended(UUID callId) throws InterruptedException {
        CallTesting.await(() -> CallTesting.call(http, admin, callId).hasNonNull("endedAt"), Duration.ofSeconds(30));
        return CallTesting.call(http, admin, callId);
    }

    private static List<String> eventTypes(JsonNode call) {
        List<String> types = new ArrayList<>();
        call.path("events").forEach(e -> types.add(e.path("type").asString()));
        return types;
    }

    private List<FakeTwilioRest.Request> completions(String callSid) {
        return twilio.updates().stream().filter(u -> u.path().endsWith("/Calls/" + callSid + ".json")
                && "completed".equals(u.form().get("Status"))).toList();
    }

    @Test
    void transferCallDialsTheDestinationAndLeavesTheCallerOnTheLine() throws Exception {
        llm.then(request -> {
            assertThat(FakeChatServer.said(request)).contains("[DTMF] 0#");
            return FakeChatServer.Answer.calls("transfer_call", "{\"destination\": \"+1 415 555 0100\"}");
        });
        Ringing call = callAndPress("0#");
        try (TwilioSimulator phone = call.phone()) {
            assertThat(phone.awaitClosed(30)).isNotNull();
        }
        JsonNode record = ended(call.callId());
        assertThat(record.path("endReason").asString()).isEqualTo("transferred");
        assertThat(eventTypes(record)).contains("transfer").containsOnlyOnce("ended");
        List<FakeTwilioRest.Request> updates = twilio.updates();
        assertThat(updates).hasSize(1);
        assertThat(updates.getFirst().path()).endsWith("/Calls/" + call.callSid() + ".json");
        assertThat(updates.getFirst().form().get("Twiml")).contains("<Dial><Number>+14155550100</Number></Dial>");
        // The caller is with the destination now: the agent's leaving must not complete the call at Twilio.
        Thread.sleep(500);
        assertThat(completions(call.callSid())).isEmpty();
    }

    @Test
    void endCallHangsUpOnceAfterTheGoodbyeHasPlayedAndTheCallIsCounted() throws Exception {
        String goodbye = "Thank you for calling, goodbye.";
        llm.then(FakeChatServer.Answer.calls("end_call", "{\"reason\": \"done\"}"))
                .then(request -> FakeChatServer.Answer.says(goodbye));
        String scrapeBefore = Scrapes.scrape(http);
        Ringing call = callAndPress("9#");
        assertThat(Scrapes.value(Scrapes.scrape(http), "palaver_calls_active")).isGreaterThanOrEqualTo(1);
        try (TwilioSimulator phone = call.phone()) {
            int before = phone.voicedFrames();
            assertThat(phone.awaitClosed(30)).isNotNull();
            // The goodbye (about two seconds of speech) reached the caller before the line closed.
            assertThat(phone.voicedFrames()).isGreaterThan(before + 40);
        }
        JsonNode record = ended(call.callId());
        assertThat(record.path("status").asString()).isEqualTo("completed");
        assertThat(record.path("endReason").asString()).isEqualTo("agent_hung_up");
        assertThat(eventTypes(record)).contains("end_requested").containsOnlyOnce("ended");
        JsonNode last = record.path("transcript").get(record.path("transcript").size() - 1);
        assertThat(last.path("role").asString()).isEqualTo("agent");
        assertThat(last.path("text").asString()).isEqualTo(goodbye);
        assertThat(last.path("interrupted").asBoolean()).isFalse();
        CallTesting.await(() -> !completions(call.callSid()).isEmpty(), Duration.ofSeconds(10));
        // Twilio's completed callback arrives after our hang-up: it changes nothing, and we completed once.
        TwilioFixtures.postForm(http, "/telephony/twilio/status", java.util.Map.of("AccountSid", TwilioFixtures.ACCOUNT_SID,
                "CallSid", call.callSid(), "CallStatus", "completed"), TwilioFixtures.AUTH_TOKEN);
        Thread.sleep(500);
        assertThat(completions(call.callSid())).hasSize(1);
        JsonNode after = CallTesting.call(http, admin, call.callId());
        assertThat(after.path("endReason").asString()).isEqualTo("agent_hung_up");
        assertThat(eventTypes(after)).containsOnlyOnce("ended");

        String scrape = Scrapes.scrape(http);
        String[] labels = {"direction=\"inbound\"", "end_reason=\"agent_hung_up\""};
        assertThat(Scrapes.value(scrape, "palaver_calls_total", labels))
                .isEqualTo(Scrapes.value(scrapeBefore, "palaver_calls_total", labels) + 1);
        // The keyed turn: from the last key to the first audio of the reply, the platform's part within it.
        assertThat(Scrapes.value(scrape, "palaver_turn_latency_seconds_count"))
                .isGreaterThanOrEqualTo(Scrapes.value(scrapeBefore, "palaver_turn_latency_seconds_count") + 1);
        assertThat(Scrapes.value(scrape, "palaver_turn_latency_seconds_sum"))
                .isGreaterThan(Scrapes.value(scrapeBefore, "palaver_turn_latency_seconds_sum"));
        assertThat(Scrapes.value(scrape, "palaver_turn_platform_overhead_seconds_count"))
                .isGreaterThanOrEqualTo(Scrapes.value(scrapeBefore, "palaver_turn_platform_overhead_seconds_count") + 1);
        assertThat(scrape).containsPattern("(?m)^palaver_call_events_dropped_total\\{")
                .containsPattern("(?m)^palaver_turn_latency_seconds_bucket\\{");
        Scrapes.assertPromtoolClean(scrape);
    }

    @Test
    void keysReachTheModelAndSendDtmfPlaysTonesToTheCaller() throws Exception {
        llm.then(request -> {
            assertThat(FakeChatServer.said(request)).contains("[DTMF] 42#");
            return FakeChatServer.Answer.calls("send_dtmf", "{\"digits\": \"3*\"}");
        }).then(FakeChatServer.Answer.says("Done."));
        Ringing call = callAndPress("42#");
        byte[] tones = DtmfTones.mulaw("3*", TwilioMediaTransport.PHONE_RATE);
        List<short[]> expected = new ArrayList<>();
        for (int at = 0; at < tones.length; at += TwilioMediaTransport.PHONE_FRAME_BYTES) {
            short[] pcm = new short[Math.min(TwilioMediaTransport.PHONE_FRAME_BYTES, tones.length - at)];
            MuLaw.decode(tones, at, pcm, 0, pcm.length);
            expected.add(pcm);
        }
        try (TwilioSimulator phone = call.phone()) {
            CallTesting.await(() -> phone.heardInOrder(expected), Duration.ofSeconds(20));
            CallTesting.await(() -> llm.requests().size() >= 2, Duration.ofSeconds(20));
            phone.hangUp();
        }
        JsonNode record = ended(call.callId());
        assertThat(record.path("endReason").asString()).isEqualTo("caller_hung_up");
        assertThat(record.path("transcript").toString()).contains("[DTMF] 42#");
        assertThat(record.path("events").toString()).contains("dtmf_sent").contains("\"digits\":\"3*\"");
    }
}
