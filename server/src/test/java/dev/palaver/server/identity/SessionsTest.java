package dev.palaver.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

class SessionsTest extends SharedPalaverContext {

    private IdentityFixtures fixtures;
    private IdentityFixtures.Org org;

    @BeforeEach
    void organization() {
        fixtures = new IdentityFixtures(context);
        org = fixtures.organization();
    }

    private JsonNode login(Role role) {
        HttpResponse<String> r = http.postJson("/api/v1/auth/login", """
                {"email":"%s","password":"%s"}""".formatted(fixtures.email(org.user(role)), IdentityFixtures.PASSWORD));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r);
    }

    private HttpResponse<String> refresh(String token) {
        return http.postJson("/api/v1/auth/refresh", "{\"refreshToken\":\"" + token + "\"}");
    }

    @Test
    void loginAnswersTokensScopedToTheOrganization() {
        JsonNode tokens = login(Role.MEMBER);
        assertThat(tokens.get("orgId").asString()).isEqualTo(org.id().toString());
        assertThat(tokens.get("expiresIn").asLong()).isLessThanOrEqualTo(900);
        HttpResponse<String> me = http.get("/api/v1/me", "Authorization", "Bearer " + tokens.get("accessToken").asString());
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(Http.json(me).get("role").asString()).isEqualTo("member");
    }

    @Test
    void refreshRotatesAndAReusedRefreshTokenRevokesTheWholeFamily() {
        JsonNode first = login(Role.OWNER);
        HttpResponse<String> rotated = refresh(first.get("refreshToken").asString());
        assertThat(rotated.statusCode()).isEqualTo(200);
        JsonNode second = Http.json(rotated);
        assertThat(second.get("refreshToken").asString()).isNotEqualTo(first.get("refreshToken").asString());

        HttpResponse<String> reused = refresh(first.get("refreshToken").asString());
        assertThat(reused.statusCode()).isEqualTo(401);
        assertThat(Http.json(reused).get("code").asString()).isEqualTo("unauthenticated");

        // The family is revoked: the newest refresh token and the access tokens of the session stop working.
        assertThat(refresh(second.get("refreshToken").asString()).statusCode()).isEqualTo(401);
        assertThat(http.get("/api/v1/me", "Authorization", "Bearer " + second.get("accessToken").asString()).statusCode())
                .isEqualTo(401);
        long audited = context.getBean(JdbcClient.class)
                .sql("select count(*) from audit_events where org_id = ? and action = 'auth.refresh_reused'")
                .param(org.id()).query(Long.class).single();
        assertThat(audited).isEqualTo(1);
    }

    @Test
    void logoutEndsTheSessionAtOnce() {
        JsonNode tokens = login(Role.VIEWER);
        String bearer = "Bearer " + tokens.get("accessToken").asString();
        assertThat(http.postJson("/api/v1/auth/logout", "", "Authorization", bearer).statusCode()).isEqualTo(204);
        assertThat(http.get("/api/v1/me", "Authorization", bearer).statusCode()).isEqualTo(401);
        assertThat(refresh(tokens.get("refreshToken").asString()).statusCode()).isEqualTo(401);
    }

    @Test
    void changingThePasswordSignsOutEverySessionOfTheUser() {
        JsonNode tokens = login(Role.ADMIN);
        String bearer = "Bearer " + tokens.get("accessToken").asString();
        HttpResponse<String> changed = http.postJson("/api/v1/me/password", """
                {"currentPassword":"%s","newPassword":"another-long-password"}""".formatted(IdentityFixtures.PASSWORD),
                "Authorization", bearer);
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(204);
        assertThat(http.get("/api/v1/me", "Authorization", bearer).statusCode()).isEqualTo(401);
        HttpResponse<String> relogin = http.postJson("/api/v1/auth/login", """
                {"email":"%s","password":"another-long-password"}""".formatted(fixtures.email(org.user(Role.ADMIN))));
        assertThat(relogin.statusCode()).isEqualTo(200);
    }

    @Test
    void removingAMemberOrChangingTheRoleAppliesToTokensAlreadyIssued() {
        String viewer = "Bearer " + fixtures.accessToken(org, Role.VIEWER);
        String member = "Bearer " + fixtures.accessToken(org, Role.MEMBER);
        String owner = "Bearer " + fixtures.accessToken(org, Role.OWNER);
        assertThat(http.send(http.request("/api/v1/members/" + org.user(Role.VIEWER)).header("Authorization", owner)
                .DELETE()).statusCode()).isEqualTo(204);
        assertThat(http.get("/api/v1/me", "Authorization", viewer).statusCode()).isEqualTo(401);

        var promote = http.request("/api/v1/members/" + org.user(Role.MEMBER)).header("Authorization", owner)
                .header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"role\":\"admin\"}"));
        assertThat(http.send(promote).statusCode()).isEqualTo(200);
        awaitStatus("/api/v1/api-keys", member, 200);
    }

    @Test
    void theLastOwnerCannotBeRemovedOrDemoted() {
        String owner = "Bearer " + fixtures.accessToken(org, Role.OWNER);
        HttpResponse<String> r = http.send(http.request("/api/v1/members/" + org.user(Role.OWNER))
                .header("Authorization", owner).DELETE());
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(Http.json(r).get("code").asString()).isEqualTo("conflict");
    }

    @Test
    void anAdminCannotPromoteAnybodyToAdmin() {
        String admin = "Bearer " + fixtures.accessToken(org, Role.ADMIN);
        var promote = http.request("/api/v1/members/" + org.user(Role.MEMBER)).header("Authorization", admin)
                .header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"role\":\"admin\"}"));
        assertThat(http.send(promote).statusCode()).isEqualTo(403);
    }

    @Test
    void anInvitationLinkWorksOnceAndMakesAMemberWithTheInvitedRole() {
        String admin = "Bearer " + fixtures.accessToken(org, Role.ADMIN);
        String email = "invitee-" + UUID.randomUUID() + "@example.test";
        HttpResponse<String> invited = http.postJson("/api/v1/members", """
                {"email":"%s","role":"member"}""".formatted(email), "Authorization", admin);
        assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
        String link = Http.json(invited).get("link").asString();
        String token = link.substring(link.lastIndexOf('/') + 1);

        HttpResponse<String> accepted = http.postJson("/api/v1/invitations/" + token + "/accept",
                "{\"password\":\"a-long-enough-password\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(http.postJson("/api/v1/invitations/" + token + "/accept",
                "{\"password\":\"a-long-enough-password\"}").statusCode()).isEqualTo(404);
        HttpResponse<String> login = http.postJson("/api/v1/auth/login", """
                {"email":"%s","password":"a-long-enough-password"}""".formatted(email));
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(Http.json(login).get("orgId").asString()).isEqualTo(org.id().toString());
    }

    @Test
    void apiKeysAreShownOnceStoredHashedAndStopWorkingWhenRevoked() {
        String admin = "Bearer " + fixtures.accessToken(org, Role.ADMIN);
        HttpResponse<String> created = http.postJson("/api/v1/api-keys",
                "{\"name\":\"reporting\",\"scopes\":[\"calls:read\"]}", "Authorization", admin);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = Http.json(created);
        String secret = body.get("secret").asString();
        String id = body.get("key").get("id").asString();
        assertThat(secret).startsWith(body.get("key").get("prefix").asString() + "_");

        HttpResponse<String> listed = http.get("/api/v1/api-keys", "Authorization", admin);
        assertThat(listed.body()).contains(id).doesNotContain(secret);
        byte[] stored = context.getBean(JdbcClient.class).sql("select key_hash from api_keys where id = ?::uuid")
                .param(id).query(byte[].class).single();
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(secret);

        assertThat(http.send(http.request("/api/v1/api-keys/" + id).header("Authorization", admin).DELETE()).statusCode())
                .isEqualTo(204);
        awaitStatus("/api/v1/audit", "Bearer " + secret, 401);
    }

    @Test
    void unknownScopesAreRefusedWithAFieldError() {
        String admin = "Bearer " + fixtures.accessToken(org, Role.ADMIN);
        HttpResponse<String> r = http.postJson("/api/v1/api-keys", "{\"name\":\"x\",\"scopes\":[\"everything\"]}",
                "Authorization", admin);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Http.json(r).get("code").asString()).isEqualTo("validation_failed");
    }

    @Test
    void auditIsCursorPaginatedNewestFirst() {
        String admin = "Bearer " + fixtures.accessToken(org, Role.ADMIN);
        for (int i = 0; i < 5; i++) {
            http.postJson("/api/v1/api-keys", "{\"name\":\"k" + i + "\",\"scopes\":[\"calls:read\"]}", "Authorization", admin);
        }
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> page = http.get("/api/v1/audit?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    "Authorization", admin);
            assertThat(page.statusCode()).isEqualTo(200);
            JsonNode json = Http.json(page);
            json.get("items").forEach(item -> ids.add(item.get("id").asString()));
            cursor = json.hasNonNull("nextCursor") ? json.get("nextCursor").asString() : null;
        } while (cursor != null);
        assertThat(ids).hasSize(5).doesNotHaveDuplicates();
        assertThat(ids).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(http.get("/api/v1/audit?limit=500", "Authorization", admin).statusCode()).isEqualTo(400);
        assertThat(http.get("/api/v1/audit?cursor=not-a-cursor", "Authorization", admin).statusCode()).isEqualTo(400);
    }

    @Test
    void auditEntriesCannotBeChangedOrDeleted() {
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        String admin = "Bearer " + fixtures.accessToken(org, Role.ADMIN);
        http.postJson("/api/v1/api-keys", "{\"name\":\"k\",\"scopes\":[\"calls:read\"]}", "Authorization", admin);
        assertThatThrownBy(() ->
                jdbc.sql("update audit_events set action = 'x' where org_id = ?").param(org.id()).update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() ->
                jdbc.sql("delete from audit_events where org_id = ?").param(org.id()).update())
                .hasMessageContaining("append-only");
    }

    private void awaitStatus(String path, String bearer, int status) {
        long deadline = System.nanoTime() + 1_000_000_000L;
        int last;
        do {
            last = http.get(path, "Authorization", bearer).statusCode();
            if (last == status) {
                return;
            }
        } while (System.nanoTime() < deadline);
        assertThat(last).as("status of " + path + " within 1 s").isEqualTo(status);
    }
}
