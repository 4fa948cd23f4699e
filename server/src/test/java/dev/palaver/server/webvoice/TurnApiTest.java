package dev.palaver.server.webvoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;

import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavReader;
import dev.palaver.providers.offline.OfflineSpeech;
import dev.palaver.server.brain.FrontDesk;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;
import dev.palaver.server.testing.TestDirs;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TurnApiTest extends SharedPalaverContext {

    static final String ANSWER = "We are open from nine to five, Monday to Friday.";

    private FakeChatServer chat;
    private UUID org;
    private String member;
    private String agentId;
    private short[] question;

    @BeforeAll
    void agent() {
        chat = new FakeChatServer(ANSWER);
        org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        member = IdentityTestAccess.tokenFor(context, org, Role.MEMBER);
        agentId = chat.llmAgent(port, admin);
        question = Speech.concat(Speech.silence(0.3),
                Speech.say(context.getBean(OfflineSpeech.class), "What are your opening hours?"), Speech.silence(0.5));
    }

    @AfterAll
    void stop() {
        chat.close();
    }

    @Test
    void aSpokenQuestionGetsTranscriptReplyAndAudioThatOnlyTheAskerCanFetch() throws Exception {
        HttpResponse<String> turn = turn(member, "question.wav", Speech.wavBytes(question), null);

        assertThat(turn.statusCode()).as(turn.body()).isEqualTo(200);
        JsonNode body = Http.json(turn);
        assertThat(body.get("transcript").asString().toLowerCase()).contains("hours");
        assertThat(body.get("replyText").asString()).isEqualTo(ANSWER);
        assertThat(chat.requests.getLast()).contains("You are the front desk of a salon.")
                .contains(body.get("transcript").asString());
        String audioUrl = body.get("audioUrl").asString();
        assertThat(audioUrl).matches("/api/v1/turn-audio/[A-Za-z0-9_-]{43}");

        HttpResponse<byte[]> audio;
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            audio = client.send(http.request(audioUrl).header("Authorization", "Bearer " + member).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }
        assertThat(audio.statusCode()).isEqualTo(200);
        assertThat(audio.headers().firstValue("Content-Type")).hasValue("audio/wav");
        WavAudio wav = WavReader.read(new java.io.ByteArrayInputStream(audio.body()));
        assertThat(wav.sampleRate()).isEqualTo(16_000);
        assertThat(wav.durationSeconds()).isGreaterThan(1.5);
        String spoken = context.getBean(OfflineSpeech.class).recognize(wav.samples());
        assertThat(spoken.toLowerCase()).containsAnyOf("open", "nine", "five", "monday", "friday");

        String colleague = IdentityTestAccess.tokenFor(context, org, Role.ADMIN);
        assertThat(http.get(audioUrl, "Authorization", "Bearer " + colleague).statusCode()).isEqualTo(404);
        UUID otherOrg = IdentityTestAccess.organization(context);
        String stranger = IdentityTestAccess.adminToken(context, otherOrg);
        assertThat(http.get(audioUrl, "Authorization", "Bearer " + stranger).statusCode()).isEqualTo(404);
        assertThat(http.get(audioUrl).statusCode()).isEqualTo(401);
    }

    @Test
    void frontDeskAnswersTheOpeningHoursOffline() {
        String frontDesk = context.getBean(FrontDesk.class).create(org).toString();

        HttpResponse<String> turn = turn(member, frontDesk, "question.wav", Speech.wavBytes(question), null);

        assertThat(turn.statusCode()).as(turn.body()).isEqualTo(200);
        JsonNode body = Http.json(turn);
        assertThat(body.get("transcript").asString().toLowerCase()).contains("hours");
        assertThat(body.get("replyText").asString()).contains("Monday to Saturday from 9 am to 6 pm");
        assertThat(body.get("audioUrl").asString()).startsWith("/api/v1/turn-audio/");
    }

    @Test
    void theSessionCarriesTheConversationAndBelongsToItsOwner() {
        JsonNode first = Http.json(turn(member, "q.wav", Speech.wavBytes(question), null));
        String sessionId = first.get("sessionId").asString();

        HttpResponse<String> second = turn(member, "q.wav", Speech.wavBytes(question), sessionId);

        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(Http.json(second).get("sessionId").asString()).isEqualTo(sessionId);
        // The model saw the first exchange: its answer is in the second request's history.
        assertThat(chat.requests.getLast()).contains(ANSWER);
        String colleague = IdentityTestAccess.tokenFor(context, org, Role.ADMIN);
        HttpResponse<String> hijack = turn(colleague, "q.wav", Speech.wavBytes(question), sessionId);
        assertThat(hijack.statusCode()).isEqualTo(404);
        assertThat(Http.json(hijack).get("code").asString()).isEqualTo("not_found");
    }

    @Test
    void webmAndOggRecordingsAreDecoded() {
        Path wav = Speech.wavFile(TestDirs.target().resolve("webvoice"), "question-" + UUID.randomUUID() + ".wav", question);
        for (String[] format : new String[][] {{"webm", "libopus"}, {"ogg", "libopus"}, {"ogg", "libvorbis"}}) {
            byte[] encoded = Speech.encode(wav, format[0], format[1]);

            HttpResponse<String> turn = turn(member, "question." + format[0], encoded, null);

            assertThat(turn.statusCode()).as(format[0] + "/" + format[1] + ": " + turn.body()).isEqualTo(200);
            assertThat(Http.json(turn).get("transcript").asString().toLowerCase()).as(format[1]).contains("hours");
        }
    }

    @Test
    void audioThatIsNotAcceptedIsAProblemWithAStableCode() {
        assertProblem(turn(member, "notes.txt", "just some text, not audio".getBytes(StandardCharsets.UTF_8), null),
                415, "unsupported_media_type");
        byte[] brokenOgg = "OggS and then nothing an Ogg demuxer could use".getBytes(StandardCharsets.US_ASCII);
        assertProblem(turn(member, "broken.ogg", brokenOgg, null), 400, "audio_unreadable");
        assertProblem(turn(member, "long.wav", Speech.wavBytes(Speech.silence(61)), null), 400, "audio_too_long");
        assertProblem(turn(member, "empty.wav", new byte[0], null), 400, "audio_unreadable");
        assertProblem(turn(member, "q.wav", Speech.wavBytes(question), "not-a-uuid"), 400, "validation_failed");
        assertProblem(turn(member, "q.wav", Speech.wavBytes(question), UUID.randomUUID().toString()), 404, "not_found");
        assertProblem(http.send(http.request("/api/v1/agents/" + agentId + "/turns")
                .header("Authorization", "Bearer " + member).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))), 415, "unsupported_media_type");
        // Just over the limit: Tomcat swallows the rest of the body, so the client reads the answer.
        byte[] huge = new byte[10 * 1024 * 1024 + 100 * 1024];
        assertProblem(turn(member, "huge.wav", huge, null), 413, "payload_too_large");
        String stranger = IdentityTestAccess.adminToken(context, IdentityTestAccess.organization(context));
        assertProblem(turn(stranger, "q.wav", Speech.wavBytes(question), null), 404, "not_found");
    }

    @Test
    void replyAudioIsDeletedOnceItsTimeToLiveHasPassed() {
        JsonNode body = Http.json(turn(member, "q.wav", Speech.wavBytes(question), null));
        String audioUrl = body.get("audioUrl").asString();
        String id = audioUrl.substring(audioUrl.lastIndexOf('/') + 1);
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        long ttlSeconds = jdbc.sql("select extract(epoch from expires_at - created_at)::bigint from turn_audio where id = ?")
                .param(id).query(Long.class).single();
        assertThat(ttlSeconds).isBetween(599L, 601L);
        ReplyAudio replies = context.getBean(ReplyAudio.class);
        replies.deleteExpired();
        assertThat(http.get(audioUrl, "Authorization", "Bearer " + member).statusCode()).isEqualTo(200);

        jdbc.sql("update turn_audio set expires_at = now() - interval '1 second' where id = ?").param(id).update();
        replies.deleteExpired();

        assertThat(jdbc.sql("select count(*) from turn_audio where id = ?").param(id).query(Long.class).single()).isZero();
        assertThat(http.get(audioUrl, "Authorization", "Bearer " + member).statusCode()).isEqualTo(404);
    }

    private void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(Http.mediaType(response)).isEqualTo("application/problem+json");
        assertThat(Http.json(response).get("code").asString()).isEqualTo(code);
    }

    private HttpResponse<String> turn(String token, String fileName, byte[] audio, String sessionId) {
        return turn(token, agentId, fileName, audio, sessionId);
    }

    private HttpResponse<String> turn(String token, String agent, String fileName, byte[] audio, String sessionId) {
        String boundary = "turn-" + UUID.randomUUID();
        var body = new ByteArrayOutputStream();
        if (sessionId != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"sessionId\"\r\n\r\n"
                    + sessionId + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(audio);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(http.request("/api/v1/agents/" + agent + "/turns")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }
}
