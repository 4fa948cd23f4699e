package dev.palaver.server.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import tools.jackson.databind.JsonNode;

import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavReader;
import dev.palaver.server.calls.CallTesting;
import dev.palaver.server.calls.FakeOpenAi;
import dev.palaver.server.calls.FliteSpeech;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.Scrapes;
import dev.palaver.server.testing.SharedPalaverContext;

/**
 * Whole phone calls through the real server: Twilio's webhooks signed with the SDK's validator, the media
 * stream driven by {@link TwilioSimulator} in real time, offline speech and a fake model on loopback.
 */
@TestPropertySource(properties = "palaver.public-url=" + TwilioFixtures.PUBLIC_URL)
class TwilioCallsTest extends SharedPalaverContext {


    UUID org;
    String admin;
    String number;

    @BeforeEach
    void organizationWithTwilio() {
        org = IdentityTestAccess.organization(context);
        admin = IdentityTestAccess.adminToken(context, org);
        // Each test's organization gets its own account SID: a SID belongs to one organization.
        context.getBean(JdbcClient.class).sql("delete from twilio_accounts where account_sid = ?")
                .param(TwilioFixtures.ACCOUNT_SID).update();
        TwilioFixtures.putAccount(http, admin, null);
        number = "+1415555" + String.format("%04d", (int) (Math.random() * 10_000));
    }

    private UUID agentWithNumber(FakeOpenAi llm, String name) {
        CallTesting.useLanguageModel(http, admin, llm.baseUrl());
        UUID agent = CallTesting.createAgent(http, admin, CallTesting.llmAgentBody(name, "Hello, this is the clinic."));
        HttpResponse<String> created = http.postJson("/api/v1/phone-numbers",
                "{\"number\":\"" + number + "\",\"agentId\":\"" + agent + "\"}", "Authorization", "Bearer " + admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return agent;
    }

    private URI mediaUri() {
        return URI.create("ws://127.0.0.1:" + port + "/telephony/twilio/media");
    }

    private int callCount() {
        return context.getBean(JdbcClient.class).sql("select count(*) from calls where org_id = ?").param(org)
                .query(Integer.class).single();
    }

    @Test
    void anInboundCallIsAnsweredInterruptedAndRecorded() throws Exception {
        try (FakeOpenAi llm = new FakeOpenAi(CallTesting.LONG_REPLY)) {
            agentWithNumber(llm, "Phone desk");
            String callSid = TwilioFixtures.callSid();
            HttpResponse<String> voice = TwilioFixtures.postForm(http, "/telephony/twilio/voice",
                    TwilioFixtures.voiceParams(callSid, "+14155550123", number), TwilioFixtures.AUTH_TOKEN);
            assertThat(voice.statusCode()).isEqualTo(200);
            assertThat(voice.body()).contains("<Connect><Stream url=\"wss://palaver.example.test/telephony/twilio/media\"");
            String token = TwilioFixtures.token(voice.body());
            UUID callId = context.getBean(dev.palaver.server.calls.CallRuntime.class).findByProviderCallId(callSid)
                    .orElseThrow().id();
            assertThat(CallTesting.call(http, admin, callId).path("status").asString()).isEqualTo("ringing");

            try (TwilioSimulator phone = TwilioSimulator.connect(mediaUri(), TwilioFixtures.ACCOUNT_SID, callSid, token)) {
                CallTesting.await(() -> phone.voicedFrames() > 25 && !phone.marksEchoed().isEmpty(), Duration.ofSeconds(20));
                CallTesting.await(() -> transcriptRoles(callId).contains("agent"), Duration.ofSeconds(20));
                int beforeQuestion = phone.voicedFrames();
                phone.say(FliteSpeech.say("What are your opening hours?"));
                CallTesting.await(() -> phone.voicedFrames() > beforeQuestion + 50, Duration.ofSeconds(30));
                llm.reply("All right.");
                phone.say(FliteSpeech.say("Sorry, wait, can I book an appointment?"));
                CallTesting.await(() -> phone.clears() > 0, Duration.ofSeconds(20));
                CallTesting.await(() -> transcriptRoles(callId).stream().filter("agent"::equals).count() >= 3, Duration.ofSeconds(30));
                phone.pressKey('5');
                Thread.sleep(300);
                phone.hangUp();
            }
            CallTesting.await(() -> CallTesting.call(http, admin, callId).hasNonNull("endedAt"), Duration.ofSeconds(30));
            CallTesting.await(() -> "complete".equals(CallTesting.call(http, admin, callId).path("recording").path("status").asString()),
                    Duration.ofSeconds(30));
            JsonNode call = CallTesting.call(http, admin, callId);
            assertThat(call.path("direction").asString()).isEqualTo("inbound");
            assertThat(call.path("from").asString()).isEqualTo("+14155550123");
            assertThat(call.path("to").asString()).isEqualTo(number);
            assertThat(call.path("status").asString()).isEqualTo("completed");
            assertThat(call.path("endReason").asString()).isEqualTo("caller_hung_up");
            assertThat(call.path("providerCallId").asString()).isEqualTo(callSid);
            List<String> types = new ArrayList<>();
            call.path("events").forEach(e -> types.add(e.path("type").asString()));
            assertThat(types.getFirst()).isEqualTo("started");
            assertThat(types).contains("turn", "interrupted").containsOnlyOnce("ended");
            assertThat(types.getLast()).isEqualTo("ended");
            JsonNode interrupted = null;
            for (JsonNode s : call.path("transcript")) {
                if (s.path("interrupted").asBoolean()) {
                    interrupted = s;
                }
            }
            assertThat(interrupted).isNotNull();
            String heard = interrupted.path("text").asString();
            assertThat(heard).isNotEmpty().hasSizeLessThan(CallTesting.LONG_REPLY.length() / 2);
            assertThat(CallTesting.LONG_REPLY).startsWith(heard.replaceAll("[.,]$", ""));

            HttpResponse<byte[]> wav = http.send(http.request("/api/v1/calls/" + callId + "/recording")
                    .header("Authorization", "Bearer " + admin).GET(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(wav.statusCode()).isEqualTo(200);
            WavAudio audio = WavReader.read(new ByteArrayInputStream(wav.body()));
            assertThat(audio.channels()).isEqualTo(2);
            long callMillis = Duration.between(Instant.parse(call.path("answeredAt").asString()),
                    Instant.parse(call.path("endedAt").asString())).toMillis();
            assertThat(audio.durationSeconds() * 1000).isCloseTo(callMillis, within(500.0));
        }
    }

    @Test
    void wrongOrMissingSignaturesGet403AndCreateNothing() throws Exception {
        try (FakeOpenAi llm = new FakeOpenAi("Hi.")) {
            agentWithNumber(llm, "Signed desk");
            int before = callCount();
            Map<String, String> params = TwilioFixtures.voiceParams(TwilioFixtures.callSid(), "+14155550124", number);
            HttpResponse<String> wrong = TwilioFixtures.postForm(http, "/telephony/twilio/voice", params, "not-the-token");
            assertThat(wrong.statusCode()).isEqualTo(403);
            assertThat(wrong.body()).isEmpty();
            HttpResponse<String> missing = TwilioFixtures.postForm(http, "/telephony/twilio/voice", params, null);
            assertThat(missing.statusCode()).isEqualTo(403);
            // A body altered after signing.
            String signature = TwilioFixtures.signature(TwilioFixtures.AUTH_TOKEN,
                    TwilioFixtures.PUBLIC_URL + "/telephony/twilio/voice", params);
            HttpResponse<String> altered = http.send(http.request("/telephony/twilio/voice")
                    .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofString("AccountSid=" + TwilioFixtures.ACCOUNT_SID
                            + "&CallSid=" + params.get("CallSid") + "&From=%2B19995550000&To=" + number.replace("+", "%2B"))));
            assertThat(altered.statusCode()).isEqualTo(403);
            HttpResponse<String> status = TwilioFixtures.postForm(http, "/telephony/twilio/status",
                    Map.of("AccountSid", TwilioFixtures.ACCOUNT_SID, "CallSid", params.get("CallSid"), "CallStatus", "completed"),
                    "not-the-token");
            assertThat(status.statusCode()).isEqualTo(403);
            assertThat(callCount()).isEqualTo(before);

            // The JSON-body variant: signed over the URL carrying the body's SHA-256.
            String json = "{\"AccountSid\":\"" + TwilioFixtures.ACCOUNT_SID + "\",\"CallSid\":\"" + TwilioFixtures.callSid()
                    + "\",\"From\":\"+14155550125\",\"To\":\"" + number + "\"}";
            HttpResponse<String> jsonOk = TwilioFixtures.postJson(http, "/telephony/twilio/voice", json, TwilioFixtures.AUTH_TOKEN);
            assertThat(jsonOk.statusCode()).isEqualTo(200);
            assertThat(jsonOk.body()).contains("<Stream");
            HttpResponse<String> jsonBad = TwilioFixtures.postJson(http, "/telephony/twilio/voice", json, "not-the-token");
            assertThat(jsonBad.statusCode()).isEqualTo(403);
            assertThat(callCount()).isEqualTo(before + 1);
        }
    }

    @Test
    void aStreamTokenWorksOnceAndGarbageClosesTheSocket() throws Exception {
        try (FakeOpenAi llm = new FakeOpenAi("Hi there.")) {
            agentWithNumber(llm, "Token desk");
            String callSid = TwilioFixtures.callSid();
            String token = TwilioFixtures.token(TwilioFixtures.postForm(http, "/telephony/twilio/voice",
                    TwilioFixtures.voiceParams(callSid, "+14155550126", number), TwilioFixtures.AUTH_TOKEN).body());
            try (TwilioSimulator first = TwilioSimulator.connect(mediaUri(), TwilioFixtures.ACCOUNT_SID, callSid, token)) {
                CallTesting.await(() -> first.voicedFrames() > 5, Duration.ofSeconds(20));
                try (TwilioSimulator replay = TwilioSimulator.connect(mediaUri(), TwilioFixtures.ACCOUNT_SID, callSid, token)) {
                    assertThat(replay.awaitClosed(10)).startsWith("1008").contains("already used");
                }
                try (TwilioSimulator forged = TwilioSimulator.connect(mediaUri(), TwilioFixtures.ACCOUNT_SID, callSid,
                        token.substring(0, token.length() - 4) + "AAAA")) {
                    assertThat(forged.awaitClosed(10)).startsWith("1008").contains("invalid stream token");
                }
                // Malformed and out-of-order messages are ignored one by one, and the call goes on...
                first.sendRaw("{not json");
                first.sendRaw("{\"event\":\"media\",\"media\":{\"payload\":\"%%%\"}}");
                first.sendRaw("{\"event\":\"start\",\"start\":{}}");
                Thread.sleep(300);
                assertThat(first.isClosed()).isFalse();
                // ...but sustained garbage closes the socket with a reason, and the call ends.
                for (int i = 0; i < 60; i++) {
                    first.sendRaw("garbage " + i);
                }
                assertThat(first.awaitClosed(10)).startsWith("1008").contains("malformed");
            }
            UUID callId = context.getBean(dev.palaver.server.calls.CallRuntime.class).findByProviderCallId(callSid)
                    .orElseThrow().id();
            CallTesting.await(() -> CallTesting.call(http, admin, callId).hasNonNull("endedAt"), Duration.ofSeconds(20));
            assertThat(CallTesting.call(http, admin, callId).path("endReason").asString()).isEqualTo("caller_hung_up");
        }
    }

    @Test
    void unknownNumbersDisabledAgentsAndFullLinesHearAPoliteRefusal() throws Exception {
        try (FakeOpenAi llm = new FakeOpenAi("Hi.")) {
            UUID agent = agentWithNumber(llm, "Busy desk");
            HttpResponse<String> unknown = TwilioFixtures.postForm(http, "/telephony/twilio/voice",
                    TwilioFixtures.voiceParams(TwilioFixtures.callSid(), "+14155550127", "+14155559876"),
                    TwilioFixtures.AUTH_TOKEN);
            assertThat(unknown.statusCode()).isEqualTo(200);
            assertThat(unknown.body()).contains("<Say>" + TwilioWebhooks.NOT_IN_SERVICE + "</Say>").contains("<Hangup/>");
            context.getBean(JdbcClient.class).sql("update organizations set max_concurrent_calls = 1 where id = ?").param(org).update();
            HttpResponse<String> first = TwilioFixtures.postForm(http, "/telephony/twilio/voice",
                    TwilioFixtures.voiceParams(TwilioFixtures.callSid(), "+14155550128", number), TwilioFixtures.AUTH_TOKEN);
            assertThat(first.body()).contains("<Stream");
            HttpResponse<String> full = TwilioFixtures.postForm(http, "/telephony/twilio/voice",
                    TwilioFixtures.voiceParams(TwilioFixtures.callSid(), "+14155550129", number), TwilioFixtures.AUTH_TOKEN);
            assertThat(full.body()).contains(TwilioWebhooks.BUSY).contains("<Hangup/>").doesNotContain("<Stream");
        }
    }

    @Test
    void keysReachTheAgentAndADroppedSocketMidReplyEndsTheCall() throws Exception {
        try (FakeOpenAi llm = new FakeOpenAi(CallTesting.LONG_REPLY)) {
            agentWithNumber(llm, "Keypad desk");
            String callSid = TwilioFixtures.callSid();
            String token = TwilioFixtures.token(TwilioFixtures.postForm(http, "/telephony/twilio/voice",
                    TwilioFixtures.voiceParams(callSid, "+14155550130", number), TwilioFixtures.AUTH_TOKEN).body());
            UUID callId = context.getBean(dev.palaver.server.calls.CallRuntime.class).findByProviderCallId(callSid)
                    .orElseThrow().id();
            TwilioSimulator phone = TwilioSimulator.connect(mediaUri(), TwilioFixtures.ACCOUNT_SID, callSid, token);
            try {
                CallTesting.await(() -> transcriptRoles(callId).contains("agent"), Duration.ofSeconds(20));
                phone.pressKey('4');
                phone.pressKey('2');
                phone.pressKey('#');
                CallTesting.await(() -> llm.requests().stream().anyMatch(r -> r.contains("[DTMF] 42#")), Duration.ofSeconds(20));
                int before = phone.voicedFrames();
                CallTesting.await(() -> phone.voicedFrames() > before + 25, Duration.ofSeconds(20));
                // The line drops in the middle of the answer: no stop, the socket just goes.
                phone.drop();
            } finally {
                phone.close();
            }
            CallTesting.await(() -> CallTesting.call(http, admin, callId).hasNonNull("endedAt"), Duration.ofSeconds(20));
            JsonNode call = CallTesting.call(http, admin, callId);
            assertThat(call.path("endReason").asString()).isEqualTo("caller_hung_up");
            assertThat(call.path("transcript").toString()).contains("[DTMF] 42#");
            JsonNode last = call.path("transcript").get(call.path("transcript").size() - 1);
            assertThat(last.path("role").asString()).isEqualTo("agent");
            assertThat(last.path("interrupted").asBoolean()).isTrue();
            assertThat(context.getBean(dev.palaver.server.calls.CallRuntime.class).live(org, callId)).isEmpty();
        }
    }

    private double ignored(String reason) {
        return Scrapes.value(Scrapes.scrape(http), "palaver_twilio_messages_ignored_total", "reason=\"" + reason + "\"");
    }

    private record Answered(UUID callId, TwilioSimulator phone) {
    }

    /** An inbound call whose greeting has played; {@code beforeStart} goes between connected and start. */
    private Answered answered(String from, String... beforeStart) throws Exception {
        String callSid = TwilioFixtures.callSid();
        String token = TwilioFixtures.token(TwilioFixtures.postForm(http, "/telephony/twilio/voice",
                TwilioFixtures.voiceParams(callSid, from, number), TwilioFixtures.AUTH_TOKEN).body());
        UUID callId = context.getBean(dev.palaver.server.calls.CallRuntime.class).findByProviderCallId(callSid)
                .orElseThrow().id();
        TwilioSimulator phone = TwilioSimulator.connect(mediaUri(), TwilioFixtures.ACCOUNT_SID, callSid, token, beforeStart);
        CallTesting.await(() -> transcriptRoles(callId).contains("agent") && !phone.marksEchoed().isEmpty(),
                Duration.ofSeconds(20));
        return new Answered(callId, phone);
    }

    @Test
    void mediaBeforeStartIsCountedAndIgnoredAndTheCallStarts() throws Exception {
        try (FakeOpenAi llm = new FakeOpenAi("Hi.")) {
            agentWithNumber(llm, "Early desk");
            double before = ignored("out_of_order");
            String early = TwilioSimulator.silentMedia("MZ" + "0".repeat(32));
            Answered call = answered("+14155550131", early, early, early);
            try (TwilioSimulator phone = call.phone()) {
                assertThat(phone.voicedFrames()).isGreaterThan(25);
                assertThat(ignored("out_of_order")).isGreaterThanOrEqualTo(before + 3);
                assertThat(phone.isClosed()).isFalse();
                phone.hangUp();
            }
            CallTesting.await(() -> CallTesting.call(http, admin, call.callId()).hasNonNull("endedAt"), Duration.ofSeconds(20));
            assertThat(CallTesting.call(http, admin, call.callId()).path("endReason").asString()).isEqualTo("caller_hung_up");
        }
    }

    @Test
    void aMarkForANameNeverSentIsCountedAndIgnoredAndTheCallGoesOn() throws Exception {
        try (FakeOpenAi llm = new FakeOpenAi("You pressed one.")) {
            agentWithNumber(llm, "Mark desk");
            Answered call = answered("+14155550132");
            try (TwilioSimulator phone = call.phone()) {
                double before = ignored("out_of_order");
                phone.sendRaw("{\"event\":\"mark\",\"streamSid\":\"MZx\",\"mark\":{\"name\":\"no-such-mark\"}}");
                CallTesting.await(() -> ignored("out_of_order") >= before + 1, Duration.ofSeconds(5));
                // The call goes on: keys reach the agent and its answer plays to the end.
                int heard = phone.voicedFrames();
                phone.pressKey('1');
                phone.pressKey('#');
                CallTesting.await(() -> transcriptRoles(call.callId()).stream().filter("agent"::equals).count() >= 2,
                        Duration.ofSeconds(20));
                assertThat(phone.voicedFrames()).isGreaterThan(heard + 10);
                assertThat(phone.isClosed()).isFalse();
                phone.hangUp();
            }
            CallTesting.await(() -> CallTesting.call(http, admin, call.callId()).hasNonNull("endedAt"), Duration.ofSeconds(20));
            JsonNode record = CallTesting.call(http, admin, call.callId());
            assertThat(record.path("endReason").asString()).isEqualTo("caller_hung_up");
            assertThat(record.path("transcript").toString()).contains("You pressed one.");
        }
    }

    @Test
    void dtmfAfterStopIsCountedAndNeverReachesTheAgent() throws Exception {
        try (FakeOpenAi llm = new FakeOpenAi("Hi.")) {
            agentWithNumber(llm, "Late desk");
            Answered call = answered("+14155550133");
            double before = ignored("out_of_order");
            try (TwilioSimulator phone = call.phone()) {
                phone.stop();
                phone.pressKey('7');
                phone.pressKey('#');
                CallTesting.await(() -> CallTesting.call(http, admin, call.callId()).hasNonNull("endedAt"), Duration.ofSeconds(20));
            }
            assertThat(ignored("out_of_order")).isGreaterThanOrEqualTo(before + 2);
            JsonNode record = CallTesting.call(http, admin, call.callId());
            assertThat(record.path("endReason").asString()).isEqualTo("caller_hung_up");
            assertThat(record.path("transcript").toString()).doesNotContain("[DTMF]");
            assertThat(llm.requests()).noneMatch(r -> r.contains("[DTMF]"));
            int ended = 0;
            for (JsonNode e : record.path("events")) {
                ended += e.path("type").asString().equals("ended") ? 1 : 0;
            }
            assertThat(ended).isEqualTo(1);
        }
    }

    private List<String> transcriptRoles(UUID callId) {
        List<String> roles = new ArrayList<>();
        CallTesting.call(http, admin, callId).path("transcript").forEach(s -> roles.add(s.path("role").asString()));
        return roles;
    }

}
