package dev.palaver.server.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.calls.CallTesting;
import dev.palaver.server.calls.FakeOpenAi;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

/**
 * Outbound calls through the SDK's REST client pointed at a fake of Twilio's API on loopback, status
 * callbacks (idempotent, before or after the stream's stop), and hanging up from the API.
 */
@TestPropertySource(properties = "palaver.public-url=" + TwilioFixtures.PUBLIC_URL)
class OutboundCallsTest extends SharedPalaverContext {

    UUID org;
    String admin;
    UUID agent;
    FakeTwilioRest twilio;
    FakeOpenAi llm;

    @BeforeEach
    void setUp() throws Exception {
        org = IdentityTestAccess.organization(context);
        admin = IdentityTestAccess.adminToken(context, org);
        twilio = new FakeTwilioRest(TwilioFixtures.ACCOUNT_SID, TwilioFixtures.AUTH_TOKEN);
        llm = new FakeOpenAi("Thanks for picking up.");
        context.getBean(JdbcClient.class).sql("delete from twilio_accounts where account_sid = ?")
                .param(TwilioFixtures.ACCOUNT_SID).update();
        TwilioFixtures.putAccount(http, admin, twilio.baseUrl());
        CallTesting.useLanguageModel(http, admin, llm.baseUrl());
        agent = CallTesting.createAgent(http, admin, CallTesting.llmAgentBody("Caller " + UUID.randomUUID(), "Hello, this is the clinic calling."));
        String number = "+1415556" + String.format("%04d", (int) (Math.random() * 10_000));
        assertThat(http.postJson("/api/v1/phone-numbers", "{\"number\":\"" + number + "\",\"agentId\":\"" + agent + "\"}",
                "Authorization", "Bearer " + admin).statusCode()).isEqualTo(201);
    }

    @org.junit.jupiter.api.AfterEach
    void tearDown() {
        twilio.close();
        llm.close();
    }

    private HttpResponse<String> place(String key, String to) {
        return http.send(http.request("/api/v1/calls").header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"agentId\":\"" + agent + "\",\"to\":\"" + to
                        + "\",\"metadata\":{\"campaign\":\"recall\"}}")));
    }

    private void status(String callSid, String status, String duration) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("AccountSid", TwilioFixtures.ACCOUNT_SID);
        p.put("CallSid", callSid);
        p.put("CallStatus", status);
        if (duration != null) {
            p.put("CallDuration", duration);
        }
        assertThat(TwilioFixtures.postForm(http, "/telephony/twilio/status", p, TwilioFixtures.AUTH_TOKEN).statusCode())
                .isEqualTo(204);
    }

    @Test
    void anOutboundCallReachesCompletedWithItsRecord() throws Exception {
        HttpResponse<String> placed = place("recall-1", "+14155550142");
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        JsonNode body = Http.json(placed);
        UUID callId = UUID.fromString(body.path("id").asString());
        String callSid = body.path("providerCallId").asString();
        assertThat(twilio.creates()).hasSize(1);
        Map<String, String> create = twilio.creates().getFirst().form();
        assertThat(create.get("To")).isEqualTo("+14155550142");
        assertThat(create.get("StatusCallback")).isEqualTo(TwilioFixtures.PUBLIC_URL + "/telephony/twilio/status");
        assertThat(create.get("Twiml")).contains("<Connect><Stream");

        // A retry with the same key returns the same call and dials nobody.
        HttpResponse<String> again = place("recall-1", "+14155550142");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Http.json(again).path("id").asString()).isEqualTo(callId.toString());
        assertThat(twilio.creates()).hasSize(1);

        status(callSid, "initiated", null);
        status(callSid, "ringing", null);
        assertThat(CallTesting.call(http, admin, callId).path("status").asString()).isEqualTo("queued");
        try (TwilioSimulator phone = TwilioSimulator.connect(URI.create("ws://127.0.0.1:" + port + "/telephony/twilio/media"),
                TwilioFixtures.ACCOUNT_SID, callSid, TwilioFixtures.token(create.get("Twiml")))) {
            status(callSid, "in-progress", null);
            CallTesting.await(() -> phone.voicedFrames() > 20, Duration.ofSeconds(20));
            CallTesting.await(() -> CallTesting.call(http, admin, callId).path("transcript").size() > 0, Duration.ofSeconds(20));
            phone.hangUp();
        }
        // Twilio's completed callback after the stream's stop, and once more: the call ends once.
        status(callSid, "completed", "7");
        status(callSid, "completed", "7");
        CallTesting.await(() -> CallTesting.call(http, admin, callId).hasNonNull("endedAt"), Duration.ofSeconds(20));
        JsonNode call = CallTesting.call(http, admin, callId);
        assertThat(call.path("direction").asString()).isEqualTo("outbound");
        assertThat(call.path("to").asString()).isEqualTo("+14155550142");
        assertThat(call.path("status").asString()).isEqualTo("completed");
        assertThat(call.path("endReason").asString()).isEqualTo("caller_hung_up");
        assertThat(call.path("providerStatus").asString()).isEqualTo("completed");
        assertThat(call.path("providerDurationSeconds").asInt()).isEqualTo(7);
        assertThat(call.path("metadata").path("campaign").asString()).isEqualTo("recall");
        assertThat(call.path("transcript").get(0).path("text").asString()).isEqualTo("Hello, this is the clinic calling.");
        int ended = 0;
        for (JsonNode e : call.path("events")) {
            ended += e.path("type").asString().equals("ended") ? 1 : 0;
        }
        assertThat(ended).isEqualTo(1);
    }

    @Test
    void aStatusCallbackBeforeStopEndsTheCallAndAnApiHangUpCompletesItAtTwilio() throws Exception {
        String member = IdentityTestAccess.tokenFor(context, org, Role.MEMBER);
        JsonNode first = Http.json(place("cb-1", "+14155550143"));
        String sid1 = first.path("providerCallId").asString();
        UUID call1 = UUID.fromString(first.path("id").asString());
        try (TwilioSimulator phone = TwilioSimulator.connect(URI.create("ws://127.0.0.1:" + port + "/telephony/twilio/media"),
                TwilioFixtures.ACCOUNT_SID, sid1, TwilioFixtures.token(twilio.creates().getLast().form().get("Twiml")))) {
            CallTesting.await(() -> phone.voicedFrames() > 5, Duration.ofSeconds(20));
            status(sid1, "completed", "3");
            CallTesting.await(() -> CallTesting.call(http, admin, call1).hasNonNull("endedAt"), Duration.ofSeconds(20));
            phone.stop();
            phone.stop();
        }
        assertThat(CallTesting.call(http, admin, call1).path("endReason").asString()).isEqualTo("caller_hung_up");

        JsonNode second = Http.json(place("cb-2", "+14155550144"));
        String sid2 = second.path("providerCallId").asString();
        UUID call2 = UUID.fromString(second.path("id").asString());
        try (TwilioSimulator phone = TwilioSimulator.connect(URI.create("ws://127.0.0.1:" + port + "/telephony/twilio/media"),
                TwilioFixtures.ACCOUNT_SID, sid2, TwilioFixtures.token(twilio.creates().getLast().form().get("Twiml")))) {
            CallTesting.await(() -> phone.voicedFrames() > 5, Duration.ofSeconds(20));
            HttpResponse<String> hangup = http.postJson("/api/v1/calls/" + call2 + "/hangup", "{}", "Authorization", "Bearer " + member);
            assertThat(hangup.statusCode()).isEqualTo(202);
            CallTesting.await(() -> twilio.updates().stream().anyMatch(u -> u.path().endsWith(sid2 + ".json")
                    && "completed".equals(u.form().get("Status"))), Duration.ofSeconds(20));
            assertThat(phone.awaitClosed(10)).isNotNull();
        }
        CallTesting.await(() -> CallTesting.call(http, admin, call2).hasNonNull("endedAt"), Duration.ofSeconds(20));
        assertThat(CallTesting.call(http, admin, call2).path("endReason").asString()).isEqualTo("hangup_requested");
    }

    @Test
    void aHangUpOrCancelBeforeTheStreamConnectsEndsTheReservationAtOnceAndRefusesTheStream() throws Exception {
        URI media = URI.create("ws://127.0.0.1:" + port + "/telephony/twilio/media");
        JsonNode first = Http.json(place("early-1", "+14155550148"));
        UUID call1 = UUID.fromString(first.path("id").asString());
        String token1 = TwilioFixtures.token(twilio.creates().getLast().form().get("Twiml"));
        HttpResponse<String> hangup = http.postJson("/api/v1/calls/" + call1 + "/hangup", "{}", "Authorization", "Bearer " + admin);
        assertThat(hangup.statusCode()).isEqualTo(202);
        // Ended at once, not when (or after) its media would have connected.
        JsonNode ended = CallTesting.call(http, admin, call1);
        assertThat(ended.hasNonNull("endedAt")).isTrue();
        assertThat(ended.path("status").asString()).isEqualTo("canceled");
        assertThat(ended.path("endReason").asString()).isEqualTo("hangup_requested");
        // Twilio stops ringing the callee.
        String sid1 = first.path("providerCallId").asString();
        CallTesting.await(() -> twilio.updates().stream().anyMatch(u -> u.path().endsWith("/Calls/" + sid1 + ".json")
                && "canceled".equals(u.form().get("Status"))), Duration.ofSeconds(10));
        assertThat(http.postJson("/api/v1/calls/" + call1 + "/hangup", "{}", "Authorization", "Bearer " + admin).statusCode())
                .isEqualTo(409);
        try (TwilioSimulator phone = TwilioSimulator.connect(media, TwilioFixtures.ACCOUNT_SID, sid1, token1)) {
            assertThat(phone.awaitClosed(10)).startsWith("1008").contains("call ended");
            assertThat(phone.framesHeard()).isZero();
        }
        JsonNode after = CallTesting.call(http, admin, call1);
        assertThat(after.hasNonNull("answeredAt")).isFalse();
        assertThat(after.path("status").asString()).isEqualTo("canceled");
        assertThat(after.path("transcript").size()).isZero();

        // Twilio's canceled callback before the stream: the same.
        JsonNode second = Http.json(place("early-2", "+14155550149"));
        UUID call2 = UUID.fromString(second.path("id").asString());
        String sid2 = second.path("providerCallId").asString();
        String token2 = TwilioFixtures.token(twilio.creates().getLast().form().get("Twiml"));
        status(sid2, "canceled", null);
        assertThat(CallTesting.call(http, admin, call2).path("endReason").asString()).isEqualTo("canceled");
        try (TwilioSimulator phone = TwilioSimulator.connect(media, TwilioFixtures.ACCOUNT_SID, sid2, token2)) {
            assertThat(phone.awaitClosed(10)).startsWith("1008");
            assertThat(phone.framesHeard()).isZero();
        }
        assertThat(CallTesting.call(http, admin, call2).hasNonNull("answeredAt")).isFalse();
        // Twilio ended that one itself: nothing is sent back.
        assertThat(twilio.updates()).noneMatch(u -> u.path().endsWith("/Calls/" + sid2 + ".json"));
    }

    @Test
    void aCallTwilioRefusesOrNeverAnswersEndsWithoutMedia() {
        JsonNode unanswered = Http.json(place("na-1", "+14155550145"));
        status(unanswered.path("providerCallId").asString(), "no-answer", "0");
        JsonNode call = CallTesting.call(http, admin, UUID.fromString(unanswered.path("id").asString()));
        assertThat(call.path("status").asString()).isEqualTo("no_answer");
        assertThat(call.path("endReason").asString()).isEqualTo("no_answer");

        twilio.failCreatesWith(400);
        HttpResponse<String> refused = place("bad-1", "+14155550146");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(Http.json(refused).path("code").asString()).isEqualTo("service_unavailable");
        assertThat(refused.body()).doesNotContain(TwilioFixtures.AUTH_TOKEN);
        HttpResponse<String> list = http.get("/api/v1/calls?status=failed", "Authorization", "Bearer " + admin);
        assertThat(Http.json(list).path("items").get(0).path("endReason").asString()).isEqualTo("provider_rejected");

        HttpResponse<String> noKey = http.send(http.request("/api/v1/calls").header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agentId\":\"" + agent + "\",\"to\":\"+14155550147\"}")));
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(place("bad-to", "12345").statusCode()).isEqualTo(400);
    }
}
