package dev.palaver.server.webvoice;

import static dev.palaver.server.webvoice.VoiceSocket.caption;
import static dev.palaver.server.webvoice.VoiceSocket.type;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import tools.jackson.databind.JsonNode;

import dev.palaver.providers.offline.OfflineSpeech;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

/** Browser calls over a real WebSocket, through the real call runtime, with offline speech and a loopback model. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebVoiceSocketTest extends SharedPalaverContext {

    static final String ANSWER = "We are open from nine in the morning to five in the afternoon, Monday to Friday, "
            + "and from ten to two on Saturdays. On public holidays we are closed all day.";
    static final Duration WAIT = Duration.ofSeconds(30);

    private FakeChatServer chat;
    private UUID org;
    private String admin;
    private String member;
    private String agentId;
    private short[] question;

    @BeforeAll
    void agent() {
        chat = new FakeChatServer(ANSWER);
        org = IdentityTestAccess.organization(context);
        admin = IdentityTestAccess.adminToken(context, org);
        member = IdentityTestAccess.tokenFor(context, org, Role.MEMBER);
        agentId = chat.llmAgent(port, admin);
        question = Speech.concat(Speech.silence(0.5),
                Speech.say(context.getBean(OfflineSpeech.class), "What are your opening hours?"), Speech.silence(1.5));
    }

    @AfterAll
    void stop() {
        chat.close();
    }

    private JsonNode start(VoiceSocket socket, String token) throws InterruptedException {
        socket.send("{\"type\":\"start\",\"agentId\":\"" + agentId + "\",\"token\":\"" + token + "\"}");
        return socket.await(m -> type("started").test(m) || type("error").test(m), WAIT, "started");
    }

    @Test
    void aBrowserCallHasCaptionsStatesAudioAndIsRecordedAsAWebCall() throws Exception {
        try (VoiceSocket socket = new VoiceSocket(port, null, true)) {
            JsonNode started = start(socket, member);
            assertThat(started.get("type").asString()).as(started.toString()).isEqualTo("started");
            assertThat(started.get("sampleRate").asInt()).isEqualTo(16000);
            String callId = started.get("callId").asString();

            socket.speak(question);

            JsonNode heard = socket.await(caption("user", true), WAIT, "the question's caption");
            assertThat(heard.get("text").asString().toLowerCase()).contains("hours");
            socket.await(m -> type("state").test(m) && "thinking".equals(m.get("state").asString()), WAIT, "thinking");
            JsonNode partial = socket.await(caption("agent", false), WAIT, "the reply's caption");
            assertThat(ANSWER).startsWith(partial.get("text").asString());
            socket.await(m -> type("state").test(m) && "speaking".equals(m.get("state").asString()), WAIT, "speaking");
            JsonNode reply = socket.await(caption("agent", true), Duration.ofSeconds(60), "the reply, heard");
            assertThat(reply.get("text").asString()).isEqualTo(ANSWER);
            assertThat(socket.audioFrames.get()).isGreaterThan(100);
            socket.await(m -> type("state").test(m) && "listening".equals(m.get("state").asString()), WAIT, "listening");

            socket.send("{\"type\":\"hangup\"}");
            assertThat(socket.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1000);

            JsonNode call = awaitEnded(callId);
            assertThat(call.get("direction").asString()).isEqualTo("web");
            assertThat(call.toString()).contains(ANSWER).containsIgnoringCase("hours");
        }
    }

    @Test
    void speakingOverTheAgentClearsItsAudio() throws Exception {
        try (VoiceSocket socket = new VoiceSocket(port, null, true)) {
            start(socket, member);
            socket.speak(question);
            socket.await(m -> type("state").test(m) && "speaking".equals(m.get("state").asString()), WAIT, "speaking");

            socket.speak(Speech.concat(Speech.say(context.getBean(OfflineSpeech.class), "Sorry, one more question please"),
                    Speech.silence(0.3)));

            // The engine records what was heard of the reply, then clears the browser's queue.
            JsonNode cut = socket.await(caption("agent", true), WAIT, "the interrupted reply");
            assertThat(cut.path("interrupted").asBoolean()).isTrue();
            assertThat(cut.get("text").asString().length()).isLessThan(ANSWER.length());
            socket.await(type("clear"), WAIT, "clear");
        }
    }

    @Test
    void aDroppedSocketResumesTheSameCall() throws Exception {
        String callId;
        String resumeToken;
        try (VoiceSocket first = new VoiceSocket(port, null, true)) {
            JsonNode started = start(first, member);
            callId = started.get("callId").asString();
            resumeToken = started.get("resumeToken").asString();
            first.drop();
        }
        try (VoiceSocket second = new VoiceSocket(port, null, true)) {
            second.send("{\"type\":\"resume\",\"resumeToken\":\"" + resumeToken + "\"}");
            JsonNode resumed = second.await(type("resumed"), WAIT, "resumed");
            assertThat(resumed.get("callId").asString()).isEqualTo(callId);

            second.speak(question);

            assertThat(second.await(caption("user", true), WAIT, "the question").get("text").asString()).contains("hours");
            second.send("{\"type\":\"hangup\"}");
        }
        assertThat(awaitEnded(callId).get("direction").asString()).isEqualTo("web");
    }

    @Test
    void aCallWhoseSocketDoesNotComeBackEndsAfterTheResumeWindow() throws Exception {
        String callId;
        try (VoiceSocket socket = new VoiceSocket(port, null, true)) {
            callId = start(socket, member).get("callId").asString();
            socket.drop();
        }
        long dropped = System.nanoTime();

        JsonNode call = awaitEnded(callId);

        assertThat(call.get("endReason").asString()).isEqualTo("caller_hung_up");
        long waitedMillis = (System.nanoTime() - dropped) / 1_000_000;
        assertThat(waitedMillis).isGreaterThanOrEqualTo(
                context.getBean(WebVoiceProperties.class).resumeWindow().toMillis() - 500);
    }

    @Test
    void aSocketThatNeverStartsIsClosed() throws Exception {
        try (VoiceSocket socket = new VoiceSocket(port, null, false)) {
            assertThat(socket.closed.get(WebVoiceHandler.FIRST_MESSAGE_TIMEOUT_MS + 5_000,
                    java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(1008);
        }
    }

    @Test
    void badCredentialsAreRefusedAndNoCallStarts() throws Exception {
        try (VoiceSocket socket = new VoiceSocket(port, null, false)) {
            JsonNode refused = start(socket, "not-a-token");
            assertThat(refused.get("code").asString()).isEqualTo("unauthenticated");
            assertThat(socket.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1008);
        }
        try (VoiceSocket socket = new VoiceSocket(port, null, false)) {
            socket.send("{\"type\":\"resume\",\"resumeToken\":\"" + "x".repeat(43) + "\"}");
            assertThat(socket.await(type("error"), WAIT, "error").get("code").asString()).isEqualTo("not_found");
        }
        String stranger = IdentityTestAccess.adminToken(context, IdentityTestAccess.organization(context));
        try (VoiceSocket socket = new VoiceSocket(port, null, false)) {
            assertThat(start(socket, stranger).get("code").asString()).isEqualTo("not_found");
        }
    }

    @Test
    void aSessionTokenWorksOnlyFromItsOrigin() throws Exception {
        String shop = "https://shop.example.test";
        HttpResponse<String> key = http.postJson("/api/v1/agents/" + agentId + "/publishable-keys",
                "{\"allowedOrigins\": [\"" + shop + "\"]}", "Authorization", "Bearer " + admin);
        String publishable = Http.json(key).get("publishableKey").asString();
        String token = Http.json(http.send(http.request("/webvoice/sessions?key=" + publishable).header("Origin", shop)
                .POST(HttpRequest.BodyPublishers.noBody()))).get("token").asString();

        try (VoiceSocket elsewhere = new VoiceSocket(port, "https://evil.example.test", false)) {
            assertThat(start(elsewhere, token).get("code").asString()).isEqualTo("unauthenticated");
        }
        try (VoiceSocket page = new VoiceSocket(port, shop, false)) {
            JsonNode started = start(page, token);
            assertThat(started.get("type").asString()).as(started.toString()).isEqualTo("started");
            page.send("{\"type\":\"hangup\"}");
            assertThat(awaitEnded(started.get("callId").asString()).get("direction").asString()).isEqualTo("web");
        }
    }

    private JsonNode awaitEnded(String callId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            HttpResponse<String> call = http.get("/api/v1/calls/" + callId, "Authorization", "Bearer " + admin);
            assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
            JsonNode body = Http.json(call);
            if (body.hasNonNull("endedAt") || System.nanoTime() > deadline) {
                assertThat(body.hasNonNull("endedAt")).as(body.toString()).isTrue();
                return body;
            }
            Thread.sleep(200);
        }
    }
}
