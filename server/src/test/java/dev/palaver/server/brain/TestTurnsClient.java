package dev.palaver.server.brain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.palaver.server.testing.Http;

/** Talks to an agent through {@code POST /api/v1/agents/{id}/test-turns}, as the dashboard does. */
final class TestTurnsClient {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Http http;
    private final String bearer;
    private final UUID agentId;

    TestTurnsClient(Http http, String token, UUID agentId) {
        this.http = http;
        this.bearer = "Bearer " + token;
        this.agentId = agentId;
    }

    HttpResponse<String> send(String sessionId, String text, String callerId, boolean end) {
        ObjectNode body = JSON.createObjectNode();
        if (sessionId != null) {
            body.put("sessionId", sessionId);
        }
        if (text != null) {
            body.put("text", text);
        }
        if (callerId != null) {
            body.put("callerId", callerId);
        }
        if (end) {
            body.put("end", true);
        }
        return http.postJson("/api/v1/agents/" + agentId + "/test-turns", body.toString(), "Authorization", bearer);
    }

    /** One turn that must succeed. */
    JsonNode turn(String sessionId, String text, String callerId) {
        HttpResponse<String> response = send(sessionId, text, callerId, false);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response);
    }

    JsonNode end(String sessionId) {
        HttpResponse<String> response = send(sessionId, null, null, true);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response);
    }

    static List<String> toolNames(JsonNode turn) {
        List<String> names = new ArrayList<>();
        turn.get("toolCalls").forEach(c -> names.add(c.get("name").asString() + (c.get("error").asBoolean() ? "!" : "")));
        return names;
    }
}
