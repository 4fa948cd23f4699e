package dev.palaver.server.brain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.agents.AgentDefinitions;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.memory.CallerMemories;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

/** Test sessions: bounded, expiring, private to their organization and agent, and validated. */
class TextTurnsTest extends SharedPalaverContext {

    private record Desk(UUID org, UUID agent, String token) {
    }

    private Desk desk() {
        UUID org = IdentityTestAccess.organization(context);
        return new Desk(org, context.getBean(FrontDesk.class).create(org), IdentityTestAccess.adminToken(context, org));
    }

    @Test
    void idleSessionsExpireAndTheirConversationEnds() {
        Desk d = desk();
        TestTurnsClient client = new TestTurnsClient(http, d.token(), d.agent());
        JsonNode first = client.turn(null, "Hello, I'm Erin, can I leave a message?", "+14155550142");
        TextTurns turns = context.getBean(TextTurns.class);
        assertThat(turns.expire(Instant.now())).isZero();

        assertThat(turns.expire(Instant.now().plus(Duration.ofMinutes(31)))).isGreaterThanOrEqualTo(1);

        HttpResponse<String> gone = client.send(first.get("sessionId").asString(), "Hello?", null, false);
        assertThat(gone.statusCode()).isEqualTo(404);
        CallerMemories memories = context.getBean(CallerMemories.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (memories.find(d.org(), "+14155550142").isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(memories.find(d.org(), "+14155550142").orElseThrow().facts()).containsEntry("name", "Erin");
    }

    @Test
    void theLeastRecentlyUsedSessionMakesRoomWhenFull() {
        Desk d = desk();
        TextTurns small = new TextTurns(context.getBean(AgentBrains.class), context.getBean(AgentDefinitions.class),
                new BrainProperties(new BrainProperties.HttpTools(false, Duration.ofSeconds(5),
                        org.springframework.util.unit.DataSize.ofKilobytes(64)),
                        new BrainProperties.TestSessions(2, Duration.ofMinutes(30)), 0.5));
        UUID a = small.turn(d.org(), d.agent(), null, "Hello", null, false).sessionId();
        UUID b = small.turn(d.org(), d.agent(), null, "Hello", null, false).sessionId();
        small.turn(d.org(), d.agent(), a, "Where are you?", null, false);
        UUID c = small.turn(d.org(), d.agent(), null, "Hello", null, false).sessionId();
        assertThat(small.open()).isEqualTo(2);
        assertThat(small.turn(d.org(), d.agent(), a, "Still there?", null, false).sessionId()).isEqualTo(a);
        assertThat(small.turn(d.org(), d.agent(), c, "Still there?", null, false).sessionId()).isEqualTo(c);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> small.turn(d.org(), d.agent(), b, "Hello?", null, false))
                .hasMessageContaining("No such test session");
        small.destroy();
    }

    @Test
    void sessionsBelongToTheirOrganizationAndAgent() {
        Desk d = desk();
        JsonNode first = new TestTurnsClient(http, d.token(), d.agent()).turn(null, "Hello", null);
        String session = first.get("sessionId").asString();

        Desk other = desk();
        HttpResponse<String> foreign = new TestTurnsClient(http, other.token(), other.agent()).send(session, "Hi", null, false);
        assertThat(foreign.statusCode()).isEqualTo(404);
        HttpResponse<String> created = http.postJson("/api/v1/agents", """
                {"name": "Echo", "brain": "flow", "flow": {"startNode": "only", "nodes": [
                  {"id": "only", "instructions": "Listen.", "reply": "I hear you."}]}}""", "Authorization", "Bearer " + d.token());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        UUID secondAgent = UUID.fromString(Http.json(created).get("id").asString());
        HttpResponse<String> wrongAgent = new TestTurnsClient(http, d.token(), secondAgent).send(session, "Hi", null, false);
        assertThat(wrongAgent.statusCode()).isEqualTo(404);
    }

    @Test
    void anAgentWithoutMemoryRemembersNobody() {
        Desk d = desk();
        HttpResponse<String> created = http.postJson("/api/v1/agents", """
                {"name": "Forgetful", "brain": "flow", "memory": {"enabled": false},
                 "flow": {"startNode": "only", "nodes": [{"id": "only", "instructions": "Listen.", "reply": "I hear you."}]}}""",
                "Authorization", "Bearer " + d.token());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        TestTurnsClient client = new TestTurnsClient(http, d.token(), UUID.fromString(Http.json(created).get("id").asString()));
        JsonNode first = client.turn(null, "I'm Fiona.", "+14155550143");
        assertThat(first.get("reply").asString()).isEqualTo("Sorry, I didn't quite catch that. I hear you.");
        client.end(first.get("sessionId").asString());
        assertThat(context.getBean(CallerMemories.class).find(d.org(), "+14155550143")).isEmpty();
        assertThat(client.turn(null, "Hello", "+14155550143").get("greeting").asString()).isEmpty();
    }

    @Test
    void badRequestsAreRefused() {
        Desk d = desk();
        TestTurnsClient client = new TestTurnsClient(http, d.token(), d.agent());
        assertThat(Http.json(client.send(null, "  ", null, false)).get("code").asString()).isEqualTo("validation_failed");
        assertThat(client.send(null, "x".repeat(4001), null, false).statusCode()).isEqualTo(400);
        assertThat(client.send(null, "Hi", "4155550100", false).statusCode()).isEqualTo(400);
        assertThat(client.send(UUID.randomUUID().toString(), "Hi", null, false).statusCode()).isEqualTo(404);
        assertThat(new TestTurnsClient(http, d.token(), UUID.randomUUID()).send(null, "Hi", null, false).statusCode())
                .isEqualTo(404);
        String viewer = IdentityTestAccess.tokenFor(context, d.org(), Role.VIEWER);
        assertThat(new TestTurnsClient(http, viewer, d.agent()).send(null, "Hi", null, false).statusCode()).isEqualTo(403);
    }

    @Test
    void whatTheFlowCannotPlaceIsAnsweredFromKnowledge() {
        Desk d = desk();
        JsonNode turn = new TestTurnsClient(http, d.token(), d.agent()).turn(null, "Can I pay by card or in cash?", null);
        assertThat(turn.get("reply").asString()).contains("We accept cards and cash");
    }
}
