package dev.palaver.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.palaver.server.testing.SharedPalaverContext;

/**
 * Every {@code /api/v1} handler, found from the handler mappings, against every kind of caller: no
 * credentials, a malformed, expired or revoked token, another organization's owner, each role, and API
 * keys with and without the endpoint's scope. The expected rules are written out below: a new endpoint
 * without a row here, or a handler whose rule differs from its row (or has none), fails this test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixTest extends SharedPalaverContext {

    /** The rule each endpoint must have: least role, and API-key scope ("" = no API keys). */
    record Rule(Role role, String scope) {
        static Rule open() {
            return new Rule(null, null);
        }
    }

    static final Map<String, Rule> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("POST /api/v1/auth/login", Rule.open());
        EXPECTED.put("POST /api/v1/auth/refresh", Rule.open());
        EXPECTED.put("POST /api/v1/invitations/{token}/accept", Rule.open());
        EXPECTED.put("POST /api/v1/auth/logout", new Rule(Role.VIEWER, ""));
        EXPECTED.put("GET /api/v1/me", new Rule(Role.VIEWER, ""));
        EXPECTED.put("POST /api/v1/me/password", new Rule(Role.VIEWER, ""));
        EXPECTED.put("POST /api/v1/orgs", new Rule(Role.VIEWER, ""));
        EXPECTED.put("GET /api/v1/orgs/current", new Rule(Role.VIEWER, ""));
        EXPECTED.put("PATCH /api/v1/orgs/current", new Rule(Role.OWNER, ""));
        EXPECTED.put("GET /api/v1/members", new Rule(Role.VIEWER, ""));
        EXPECTED.put("POST /api/v1/members", new Rule(Role.ADMIN, ""));
        EXPECTED.put("PATCH /api/v1/members/{userId}", new Rule(Role.ADMIN, ""));
        EXPECTED.put("DELETE /api/v1/members/{userId}", new Rule(Role.ADMIN, ""));
        EXPECTED.put("GET /api/v1/api-keys", new Rule(Role.ADMIN, ""));
        EXPECTED.put("POST /api/v1/api-keys", new Rule(Role.ADMIN, ""));
        EXPECTED.put("DELETE /api/v1/api-keys/{id}", new Rule(Role.ADMIN, ""));
        EXPECTED.put("GET /api/v1/audit", new Rule(Role.ADMIN, ""));
        EXPECTED.put("GET /api/v1/provider-credentials", new Rule(Role.ADMIN, ""));
        EXPECTED.put("PUT /api/v1/provider-credentials/{provider}", new Rule(Role.ADMIN, ""));
        EXPECTED.put("DELETE /api/v1/provider-credentials/{provider}", new Rule(Role.ADMIN, ""));
        EXPECTED.put("GET /api/v1/calls", new Rule(Role.VIEWER, Scopes.CALLS_READ));
        EXPECTED.put("POST /api/v1/calls", new Rule(Role.MEMBER, Scopes.CALLS_WRITE));
        EXPECTED.put("PUT /api/v1/telephony/twilio", new Rule(Role.ADMIN, Scopes.TELEPHONY_WRITE));
        EXPECTED.put("GET /api/v1/telephony/twilio", new Rule(Role.ADMIN, Scopes.TELEPHONY_WRITE));
        EXPECTED.put("GET /api/v1/phone-numbers", new Rule(Role.VIEWER, Scopes.TELEPHONY_WRITE));
        EXPECTED.put("POST /api/v1/phone-numbers", new Rule(Role.ADMIN, Scopes.TELEPHONY_WRITE));
        EXPECTED.put("PATCH /api/v1/phone-numbers/{id}", new Rule(Role.ADMIN, Scopes.TELEPHONY_WRITE));
        EXPECTED.put("DELETE /api/v1/phone-numbers/{id}", new Rule(Role.ADMIN, Scopes.TELEPHONY_WRITE));
        EXPECTED.put("GET /api/v1/calls/stats", new Rule(Role.VIEWER, Scopes.CALLS_READ));
        EXPECTED.put("GET /api/v1/calls/stats/series", new Rule(Role.VIEWER, Scopes.CALLS_READ));
        EXPECTED.put("GET /api/v1/calls/{id}", new Rule(Role.VIEWER, Scopes.CALLS_READ));
        EXPECTED.put("GET /api/v1/calls/{id}/recording", new Rule(Role.VIEWER, Scopes.CALLS_READ));
        EXPECTED.put("POST /api/v1/calls/{id}/hangup", new Rule(Role.MEMBER, Scopes.CALLS_WRITE));
        EXPECTED.put("GET /api/v1/agents", new Rule(Role.VIEWER, Scopes.AGENTS_READ));
        EXPECTED.put("POST /api/v1/agents", new Rule(Role.ADMIN, Scopes.AGENTS_WRITE));
        EXPECTED.put("GET /api/v1/agents/{id}", new Rule(Role.VIEWER, Scopes.AGENTS_READ));
        EXPECTED.put("PUT /api/v1/agents/{id}", new Rule(Role.ADMIN, Scopes.AGENTS_WRITE));
        EXPECTED.put("DELETE /api/v1/agents/{id}", new Rule(Role.ADMIN, Scopes.AGENTS_WRITE));
        EXPECTED.put("GET /api/v1/agents/{id}/versions", new Rule(Role.VIEWER, Scopes.AGENTS_READ));
        EXPECTED.put("GET /api/v1/agents/{id}/versions/{version}", new Rule(Role.VIEWER, Scopes.AGENTS_READ));
        EXPECTED.put("GET /api/v1/knowledge-bases", new Rule(Role.VIEWER, Scopes.KNOWLEDGE_READ));
        EXPECTED.put("POST /api/v1/knowledge-bases", new Rule(Role.ADMIN, Scopes.KNOWLEDGE_WRITE));
        EXPECTED.put("GET /api/v1/knowledge-bases/{id}", new Rule(Role.VIEWER, Scopes.KNOWLEDGE_READ));
        EXPECTED.put("DELETE /api/v1/knowledge-bases/{id}", new Rule(Role.ADMIN, Scopes.KNOWLEDGE_WRITE));
        EXPECTED.put("POST /api/v1/knowledge-bases/{id}/documents", new Rule(Role.ADMIN, Scopes.KNOWLEDGE_WRITE));
        EXPECTED.put("GET /api/v1/knowledge-bases/{id}/documents", new Rule(Role.VIEWER, Scopes.KNOWLEDGE_READ));
        EXPECTED.put("DELETE /api/v1/knowledge-bases/{id}/documents/{documentId}", new Rule(Role.ADMIN, Scopes.KNOWLEDGE_WRITE));
        EXPECTED.put("POST /api/v1/knowledge-bases/{id}/search", new Rule(Role.VIEWER, Scopes.KNOWLEDGE_READ));
        EXPECTED.put("POST /api/v1/agents/{id}/turns", new Rule(Role.MEMBER, Scopes.CALLS_WRITE));
        EXPECTED.put("GET /api/v1/turn-audio/{audioId}", new Rule(Role.MEMBER, Scopes.CALLS_WRITE));
        EXPECTED.put("POST /api/v1/agents/{id}/publishable-keys", new Rule(Role.ADMIN, Scopes.AGENTS_WRITE));
        EXPECTED.put("GET /api/v1/agents/{id}/publishable-keys", new Rule(Role.VIEWER, Scopes.AGENTS_READ));
        EXPECTED.put("DELETE /api/v1/agents/{id}/publishable-keys/{keyId}", new Rule(Role.ADMIN, Scopes.AGENTS_WRITE));
        EXPECTED.put("POST /api/v1/agents/{id}/test-turns", new Rule(Role.MEMBER, Scopes.CALLS_WRITE));
        EXPECTED.put("GET /api/v1/customers", new Rule(Role.VIEWER, Scopes.CUSTOMERS_READ));
        EXPECTED.put("POST /api/v1/customers", new Rule(Role.MEMBER, Scopes.CUSTOMERS_WRITE));
        EXPECTED.put("GET /api/v1/appointments", new Rule(Role.VIEWER, Scopes.CUSTOMERS_READ));
        EXPECTED.put("POST /api/v1/appointments", new Rule(Role.MEMBER, Scopes.CUSTOMERS_WRITE));
        EXPECTED.put("PATCH /api/v1/appointments/{id}", new Rule(Role.MEMBER, Scopes.CUSTOMERS_WRITE));
        EXPECTED.put("DELETE /api/v1/appointments/{id}", new Rule(Role.MEMBER, Scopes.CUSTOMERS_WRITE));
        EXPECTED.put("GET /api/v1/memories/{callerId}", new Rule(Role.VIEWER, Scopes.CUSTOMERS_READ));
        EXPECTED.put("PUT /api/v1/memories/{callerId}", new Rule(Role.MEMBER, Scopes.CUSTOMERS_WRITE));
        EXPECTED.put("DELETE /api/v1/memories/{callerId}", new Rule(Role.MEMBER, Scopes.CUSTOMERS_WRITE));
    }

    private IdentityFixtures fixtures;
    private IdentityFixtures.Org orgA;
    private IdentityFixtures.Org orgB;
    private Map<String, HandlerMethod> handlers;

    @BeforeAll
    void setUp() {
        fixtures = new IdentityFixtures(context);
        orgA = fixtures.organization();
        orgB = fixtures.organization();
        handlers = apiHandlers();
    }

    private Map<String, HandlerMethod> apiHandlers() {
        RequestMappingHandlerMapping mapping = context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        Map<String, HandlerMethod> found = new LinkedHashMap<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
            for (String pattern : e.getKey().getPatternValues()) {
                if (!pattern.startsWith("/api/v1/")) {
                    continue;
                }
                for (var method : e.getKey().getMethodsCondition().getMethods()) {
                    found.put(method.name() + " " + pattern, e.getValue());
                }
            }
        }
        return found;
    }

    @Test
    void everyApiHandlerHasExactlyItsExpectedRule() {
        assertThat(new TreeSet<>(handlers.keySet())).as("API handlers (add new ones to EXPECTED)")
                .isEqualTo(new TreeSet<>(EXPECTED.keySet()));
        for (var e : handlers.entrySet()) {
            Rule expected = EXPECTED.get(e.getKey());
            Access access = e.getValue().getMethodAnnotation(Access.class);
            PublicEndpoint open = e.getValue().getMethodAnnotation(PublicEndpoint.class);
            if (expected.role() == null) {
                assertThat(open).as(e.getKey() + " is public").isNotNull();
                assertThat(access).as(e.getKey() + " has no role rule").isNull();
            } else {
                assertThat(access).as(e.getKey() + " declares @Access").isNotNull();
                assertThat(open).as(e.getKey() + " is not public").isNull();
                assertThat(new Rule(access.role(), access.scope())).as(e.getKey()).isEqualTo(expected);
            }
        }
    }

    @Test
    void everyEndpointAnswersEachKindOfCallerAsItsRuleSays() {
        SigningKeys keys = SigningKeys.of(SharedPalaverContext.TOKEN_SIGNING_KEY, List.of(), java.nio.file.Path.of("unused"));
        List<String> failures = new ArrayList<>();
        for (var e : EXPECTED.entrySet()) {
            String endpoint = e.getKey();
            Rule rule = e.getValue();
            String randomPath = path(endpoint, UUID.randomUUID().toString());

            if (rule.role() == null) {
                expectNot(failures, endpoint, "no auth", call(endpoint, randomPath, null), 401, 403);
                expect(failures, endpoint, "malformed token", call(endpoint, randomPath, "not.a.jwt"), 401);
                continue;
            }
            expect(failures, endpoint, "no auth", call(endpoint, randomPath, null), 401);
            expect(failures, endpoint, "malformed token", call(endpoint, randomPath, "eyJhbGciOiJIUzI1NiJ9.e30.AAAA"), 401);
            expect(failures, endpoint, "expired token", call(endpoint, randomPath, fixtures.expiredToken(orgA, keys)), 401);
            expect(failures, endpoint, "revoked token", call(endpoint, randomPath, fixtures.revokedToken(orgA)), 401);
            expect(failures, endpoint, "unknown API key", call(endpoint, randomPath, "plv_000000000000_nope"), 401);
            for (Role role : Role.values()) {
                var response = call(endpoint, randomPath, fixtures.accessToken(orgA, role));
                if (role.atLeast(rule.role())) {
                    expectNot(failures, endpoint, role.wire(), response, 401, 403);
                } else {
                    expect(failures, endpoint, role.wire(), response, 403);
                }
            }
            if (rule.scope().isEmpty()) {
                expect(failures, endpoint, "API key with every scope", call(endpoint, randomPath, fixtures.apiKey(orgA, Scopes.ALL)), 403);
            } else {
                expectNot(failures, endpoint, "API key with " + rule.scope(),
                        call(endpoint, randomPath, fixtures.apiKey(orgA, Set.of(rule.scope()))), 401, 403);
                Set<String> others = new HashSet<>(Scopes.ALL);
                others.remove(rule.scope());
                expect(failures, endpoint, "API key without " + rule.scope(), call(endpoint, randomPath, fixtures.apiKey(orgA, others)), 403);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void anotherOrganizationsOwnerCannotReachThisOrganizationsResources() {
        UUID viewerOfA = orgA.user(Role.VIEWER);
        UUID keyOfA = fixtures.apiKeyId(orgA);
        String ownerOfB = fixtures.accessToken(orgB, Role.OWNER);

        assertThat(call("PATCH /api/v1/members/{userId}", "/api/v1/members/" + viewerOfA, ownerOfB, "{\"role\":\"admin\"}").statusCode()).isEqualTo(404);
        assertThat(call("DELETE /api/v1/members/{userId}", "/api/v1/members/" + viewerOfA, ownerOfB).statusCode()).isEqualTo(404);
        assertThat(call("DELETE /api/v1/api-keys/{id}", "/api/v1/api-keys/" + keyOfA, ownerOfB).statusCode()).isEqualTo(404);
        for (String list : List.of("/api/v1/members", "/api/v1/api-keys", "/api/v1/audit", "/api/v1/me")) {
            var response = http.get(list, "Authorization", "Bearer " + ownerOfB);
            assertThat(response.statusCode()).as(list).isEqualTo(200);
            assertThat(response.body()).as(list).doesNotContain(orgA.id().toString()).doesNotContain(viewerOfA.toString())
                    .doesNotContain(keyOfA.toString());
        }
        String ownerOfA = fixtures.accessToken(orgA, Role.OWNER);
        assertThat(http.get("/api/v1/members", "Authorization", "Bearer " + ownerOfA).body()).contains(viewerOfA.toString());
        assertThat(http.get("/api/v1/api-keys", "Authorization", "Bearer " + ownerOfA).body()).contains(keyOfA.toString());
    }

    private HttpResponse<String> call(String endpoint, String path, String bearer) {
        return call(endpoint, path, bearer, "{}");
    }

    private HttpResponse<String> call(String endpoint, String path, String bearer, String body) {
        String method = endpoint.substring(0, endpoint.indexOf(' '));
        HttpRequest.Builder b = http.request(path).header("Content-Type", "application/json")
                .method(method, method.equals("GET") || method.equals("DELETE")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b);
    }

    private static String path(String endpoint, String id) {
        return endpoint.substring(endpoint.indexOf(' ') + 1).replaceAll("\\{[^}]+}", id);
    }

    private static void expect(List<String> failures, String endpoint, String who, HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            failures.add(endpoint + " as " + who + ": expected " + status + ", got " + r.statusCode() + " " + r.body());
        }
    }

    private static void expectNot(List<String> failures, String endpoint, String who, HttpResponse<String> r, int... statuses) {
        for (int s : statuses) {
            if (r.statusCode() == s) {
                failures.add(endpoint + " as " + who + ": expected neither 401 nor 403, got " + r.statusCode() + " " + r.body());
            }
        }
    }
}
