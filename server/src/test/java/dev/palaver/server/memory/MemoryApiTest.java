package dev.palaver.server.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

class MemoryApiTest extends SharedPalaverContext {

    private HttpResponse<String> put(String bearer, String callerId, String json) {
        return http.send(http.request("/api/v1/memories/" + callerId).header("Authorization", bearer)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void readReplaceAndForgetACaller() {
        UUID org = IdentityTestAccess.organization(context);
        String member = "Bearer " + IdentityTestAccess.tokenFor(context, org, Role.MEMBER);
        String viewer = "Bearer " + IdentityTestAccess.tokenFor(context, org, Role.VIEWER);
        assertThat(http.get("/api/v1/memories/+14155550100", "Authorization", member).statusCode()).isEqualTo(404);

        HttpResponse<String> saved = put(member, "+14155550100", "{\"facts\": {\"name\": \"Ann\"}, \"summary\": \"Regular.\"}");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        JsonNode read = Http.json(http.get("/api/v1/memories/+14155550100", "Authorization", viewer));
        assertThat(read.get("facts").get("name").asString()).isEqualTo("Ann");
        assertThat(read.get("summary").asString()).isEqualTo("Regular.");
        assertThat(put(viewer, "+14155550100", "{\"facts\": {}}").statusCode()).isEqualTo(403);

        String otherOrg = "Bearer " + IdentityTestAccess.tokenFor(context, IdentityTestAccess.organization(context), Role.OWNER);
        assertThat(http.get("/api/v1/memories/+14155550100", "Authorization", otherOrg).statusCode()).isEqualTo(404);

        assertThat(http.send(http.request("/api/v1/memories/+14155550100").header("Authorization", member).DELETE())
                .statusCode()).isEqualTo(204);
        assertThat(http.get("/api/v1/memories/+14155550100", "Authorization", member).statusCode()).isEqualTo(404);
    }

    @Test
    void callerIdsAndFactsAreValidated() {
        String member = "Bearer " + IdentityTestAccess.tokenFor(context, IdentityTestAccess.organization(context), Role.MEMBER);
        assertThat(Http.json(put(member, "4155550100", "{}")).get("code").asString()).isEqualTo("validation_failed");
        assertThat(put(member, "web:user-1", "{\"facts\": {\"Bad Key\": \"x\"}}").statusCode()).isEqualTo(400);
        assertThat(put(member, "web:user-1", "{\"facts\": {\"note\": \"" + "x".repeat(301) + "\"}}").statusCode()).isEqualTo(400);
        assertThat(put(member, "web:user-1", "{\"summary\": \"" + "x".repeat(2001) + "\"}").statusCode()).isEqualTo(400);
        assertThat(put(member, "web:user-1", "{\"facts\": {\"note\": \"fine\"}}").statusCode()).isEqualTo(200);
    }

    @Test
    void rememberingStaysBounded() {
        UUID org = IdentityTestAccess.organization(context);
        CallerMemories memories = context.getBean(CallerMemories.class);
        for (int i = 0; i < 40; i++) {
            memories.remember(org, "+14155550100", Map.of("fact_" + i, "value " + i), "line " + i + " " + "y".repeat(100));
        }
        CallerMemories.Memory m = memories.find(org, "+14155550100").orElseThrow();
        assertThat(m.facts()).hasSize(CallerMemories.MAX_FACTS).containsKey("fact_39").doesNotContainKey("fact_0");
        assertThat(m.summary().length()).isLessThanOrEqualTo(CallerMemories.MAX_SUMMARY);
        assertThat(m.summary()).endsWith("line 39 " + "y".repeat(100)).doesNotContain("line 0 ");
        Map<String, String> later = new LinkedHashMap<>();
        later.put("fact_39", "changed");
        memories.remember(org, "+14155550100", later, null);
        assertThat(memories.find(org, "+14155550100").orElseThrow().facts().get("fact_39")).isEqualTo("changed");
    }

    @Test
    void theCleanupForgetsCallersPastRetention() {
        UUID org = IdentityTestAccess.organization(context);
        CallerMemories memories = context.getBean(CallerMemories.class);
        memories.put(org, "+14155550111", Map.of("name", "Old"), "");
        memories.put(org, "+14155550112", Map.of("name", "New"), "");
        context.getBean(JdbcClient.class).sql("update caller_memories set updated_at = now() - interval '400 days'"
                + " where org_id = ? and caller_id = ?").params(org, "+14155550111").update();
        int forgotten = context.getBean(MemoryCleanup.class).cleanup(Instant.now());
        assertThat(forgotten).isGreaterThanOrEqualTo(1);
        assertThat(memories.find(org, "+14155550111")).isEmpty();
        assertThat(memories.find(org, "+14155550112")).isPresent();
        assertThat(context.getBean(MemoryCleanup.class).cleanup(Instant.now().plus(Duration.ofDays(366))))
                .isGreaterThanOrEqualTo(1);
        assertThat(memories.find(org, "+14155550112")).isEmpty();
    }
}
