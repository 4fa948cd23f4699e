package dev.palaver.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.PalaverApps;
import dev.palaver.server.testing.TestDatabases;
import dev.palaver.server.testing.TestRedis;

/** Two Palaver nodes on one PostgreSQL and one Redis, as in a scaled-out deployment. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiNodeAccessTest {

    static final long API_LIMIT = 10;
    private ConfigurableApplicationContext node1;
    private ConfigurableApplicationContext node2;
    private Http http1;
    private Http http2;
    private IdentityFixtures fixtures;

    @BeforeAll
    void startTwoNodes() {
        TestDatabases.Database db = TestDatabases.fresh();
        Map<String, String> settings = PalaverApps.on(db);
        settings.put("palaver.redis-url", TestRedis.sharedUrl());
        settings.put("palaver.token-signing-key", "multi-node-signing-key-0123456789abcdef");
        settings.put("palaver.rate-limits.api-per-minute", Long.toString(API_LIMIT));
        // Far longer than the 1 s the revocation tests allow: only the Redis relay can make them pass.
        settings.put("palaver.revocation-cache", "60s");
        node1 = PalaverApps.start(settings);
        node2 = PalaverApps.start(settings);
        http1 = new Http(PalaverApps.port(node1));
        http2 = new Http(PalaverApps.port(node2));
        fixtures = new IdentityFixtures(node1);
    }

    @AfterAll
    void stop() {
        http1.close();
        http2.close();
        node1.close();
        node2.close();
    }

    @Test
    void twoNodesOnOneRedisEnforceOneSharedLimit() {
        IdentityFixtures.Org org = fixtures.organization();
        String bearer = "Bearer " + fixtures.accessToken(org, Role.VIEWER);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(http1.get("/api/v1/me", "Authorization", bearer).statusCode());
            statuses.add(http2.get("/api/v1/me", "Authorization", bearer).statusCode());
        }
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(API_LIMIT);
        assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(16 - API_LIMIT);
        var limited = http2.get("/api/v1/me", "Authorization", bearer);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(limited.headers().firstValue("RateLimit-Remaining")).hasValue("0");
    }

    @Test
    void anOrganizationsOwnLimitReplacesTheDefault() {
        IdentityFixtures.Org org = fixtures.organization();
        String owner = "Bearer " + fixtures.accessToken(org, Role.OWNER);
        var patch = http1.request("/api/v1/orgs/current").header("Authorization", owner)
                .header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"rateLimitPerMinute\":3}"));
        var updated = http1.send(patch);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(Http.json(updated).get("rateLimitPerMinute").asInt()).isEqualTo(3);

        String member = "Bearer " + fixtures.accessToken(org, Role.MEMBER);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(http1.get("/api/v1/me", "Authorization", member).statusCode());
        }
        assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
        assertThat(http1.get("/api/v1/me", "Authorization", member).headers().firstValue("RateLimit-Limit")).hasValue("3");
    }

    @Test
    void aTokenRevokedOnOneNodeIsRefusedOnTheOtherWithinASecond() {
        IdentityFixtures.Org org = fixtures.organization();
        String bearer = "Bearer " + fixtures.accessToken(org, Role.MEMBER);
        assertThat(http2.get("/api/v1/me", "Authorization", bearer).statusCode()).isEqualTo(200);
        assertThat(http1.postJson("/api/v1/auth/logout", "", "Authorization", bearer).statusCode()).isEqualTo(204);
        long revokedAt = System.nanoTime();
        assertRefusedWithinOneSecond(http2, bearer, revokedAt);
    }

    @Test
    void anApiKeyRevokedOnOneNodeIsRefusedOnTheOtherWithinASecond() {
        IdentityFixtures.Org org = fixtures.organization();
        String admin = "Bearer " + fixtures.accessToken(org, Role.ADMIN);
        var created = Http.json(http1.postJson("/api/v1/api-keys", "{\"name\":\"n\",\"scopes\":[\"calls:read\"]}",
                "Authorization", admin));
        String key = "Bearer " + created.get("secret").asString();
        String id = created.get("key").get("id").asString();
        // An API key may not read members, but a valid key gets 403 and a revoked one 401.
        assertThat(http2.get("/api/v1/members", "Authorization", key).statusCode()).isEqualTo(403);
        assertThat(http1.send(http1.request("/api/v1/api-keys/" + id).header("Authorization", admin).DELETE())
                .statusCode()).isEqualTo(204);
        long revokedAt = System.nanoTime();
        long deadline = revokedAt + 1_000_000_000L;
        int status;
        do {
            status = http2.get("/api/v1/members", "Authorization", key).statusCode();
        } while (status != 401 && System.nanoTime() < deadline);
        assertThat(status).as("revoked key on the other node within 1 s").isEqualTo(401);
    }

    private static void assertRefusedWithinOneSecond(Http http, String bearer, long revokedAt) {
        long deadline = revokedAt + 1_000_000_000L;
        int status;
        do {
            status = http.get("/api/v1/me", "Authorization", bearer).statusCode();
        } while (status != 401 && System.nanoTime() < deadline);
        assertThat(status).as("revoked token on the other node within 1 s").isEqualTo(401);
    }
}
