package dev.palaver.server.webvoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

class PublishableKeysTest extends SharedPalaverContext {

    static final String SHOP = "https://shop.example.test";

    private UUID org;
    private String admin;
    private String agentId;

    @BeforeEach
    void agent() {
        org = IdentityTestAccess.organization(context);
        admin = IdentityTestAccess.adminToken(context, org);
        agentId = createAgent(http, admin);
    }

    static String createAgent(Http http, String admin) {
        HttpResponse<String> created = http.postJson("/api/v1/agents", """
                {"name": "Embedded %s", "brain": "flow",
                 "flow": {"startNode": "hi", "nodes": [{"id": "hi", "instructions": "Greet.", "reply": "Hello!", "end": true}]}}"""
                .formatted(UUID.randomUUID()), "Authorization", "Bearer " + admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Http.json(created).get("id").asString();
    }

    private HttpResponse<String> createKey(String token, String agent, String origins) {
        return http.postJson("/api/v1/agents/" + agent + "/publishable-keys", "{\"allowedOrigins\": " + origins + "}",
                "Authorization", "Bearer " + token);
    }

    private HttpResponse<String> mint(String key, String origin) {
        HttpRequest.Builder request = http.request("/webvoice/sessions?key=" + key)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request);
    }

    @Test
    void aKeyMintsSessionTokensOnlyForItsOriginsUntilRevoked() {
        HttpResponse<String> created = createKey(admin, agentId, "[\"https://Shop.Example.test\", \"http://localhost:3000\"]");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode key = Http.json(created);
        String value = key.get("publishableKey").asString();
        assertThat(value).startsWith("pk_");
        assertThat(key.get("allowedOrigins").toString()).isEqualTo("[\"https://shop.example.test\",\"http://localhost:3000\"]");

        HttpResponse<String> minted = mint(value, SHOP);

        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
        assertThat(minted.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SHOP);
        JsonNode token = Http.json(minted);
        assertThat(token.get("token").asString()).startsWith("wst_");
        assertThat(token.get("agentId").asString()).isEqualTo(agentId);
        WebSessionTokens tokens = context.getBean(WebSessionTokens.class);
        WebSessionTokens.WebSession session = tokens.open(token.get("token").asString()).orElseThrow();
        assertThat(session.orgId()).isEqualTo(org);
        assertThat(session.origin()).isEqualTo(SHOP);
        String tampered = token.get("token").asString();
        tampered = tampered.substring(0, tampered.length() - 2) + (tampered.endsWith("A") ? "BB" : "AA");
        assertThat(tokens.open(tampered)).isEmpty();

        assertThat(mint(value, "https://evil.example.test").statusCode()).isEqualTo(403);
        assertThat(mint(value, null).statusCode()).isEqualTo(403);
        assertThat(mint("pk_unknown" + UUID.randomUUID(), SHOP).statusCode()).isEqualTo(401);

        HttpResponse<String> revoked = http.send(http.request("/api/v1/agents/" + agentId + "/publishable-keys/"
                + key.get("id").asString()).header("Authorization", "Bearer " + admin).DELETE());
        assertThat(revoked.statusCode()).isEqualTo(204);
        assertThat(mint(value, SHOP).statusCode()).isEqualTo(401);
    }

    @Test
    void originsMustBeExact() {
        for (String origins : new String[] {"[]", "[\"https://*.example.test\"]", "[\"https://shop.example.test/\"]",
                "[\"https://shop.example.test/path\"]", "[\"ftp://shop.example.test\"]", "[\"shop.example.test\"]"}) {
            HttpResponse<String> created = createKey(admin, agentId, origins);
            assertThat(created.statusCode()).as(origins).isEqualTo(400);
            assertThat(Http.json(created).get("code").asString()).isEqualTo("validation_failed");
        }
    }

    @Test
    void keysBelongToTheirOrganizationAndOnlyAdminsCreateThem() {
        String value = Http.json(createKey(admin, agentId, "[\"" + SHOP + "\"]")).get("publishableKey").asString();
        UUID other = IdentityTestAccess.organization(context);
        String stranger = IdentityTestAccess.adminToken(context, other);

        assertThat(createKey(stranger, agentId, "[\"" + SHOP + "\"]").statusCode()).isEqualTo(404);
        assertThat(http.get("/api/v1/agents/" + agentId + "/publishable-keys", "Authorization", "Bearer " + stranger)
                .statusCode()).isEqualTo(404);
        String viewer = IdentityTestAccess.tokenFor(context, org, Role.VIEWER);
        assertThat(createKey(viewer, agentId, "[\"" + SHOP + "\"]").statusCode()).isEqualTo(403);
        HttpResponse<String> listed = http.get("/api/v1/agents/" + agentId + "/publishable-keys", "Authorization", "Bearer " + viewer);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains(value);
    }

    @Test
    void mintingIsRateLimitedPerKeyAndClient() {
        String value = Http.json(createKey(admin, agentId, "[\"" + SHOP + "\"]")).get("publishableKey").asString();
        int limit = context.getBean(WebVoiceProperties.class).publicSessionsPerMinute();
        for (int i = 0; i < limit; i++) {
            assertThat(mint(value, SHOP).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> refused = mint(value, SHOP);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Http.json(refused).get("code").asString()).isEqualTo("rate_limited");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    }
}
