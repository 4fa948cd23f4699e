package dev.palaver.server.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.calls.CallTesting;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

/** The Twilio account (token encrypted, shown masked) and phone numbers (E.164, one organization each). */
class TelephonyConfigurationTest extends SharedPalaverContext {

    private HttpResponse<String> putTwilio(String token, String body) {
        return http.send(http.request("/api/v1/telephony/twilio").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void theAuthTokenIsEncryptedAtRestAndShownMasked() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        String sid = "AC" + UUID.randomUUID().toString().replace("-", "");
        String secret = "auth-token-" + UUID.randomUUID();
        HttpResponse<String> put = putTwilio(admin, "{\"accountSid\":\"" + sid + "\",\"authToken\":\"" + secret
                + "\",\"apiBaseUrl\":\"http://127.0.0.1:9\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(put.body()).doesNotContain(secret);
        JsonNode got = Http.json(http.get("/api/v1/telephony/twilio", "Authorization", "Bearer " + admin));
        assertThat(got.path("accountSid").asString()).isEqualTo(sid);
        assertThat(got.path("authToken").asString()).isNotEqualTo(secret).endsWith(secret.substring(secret.length() - 4));
        assertThat(got.path("apiBaseUrl").asString()).isEqualTo("http://127.0.0.1:9");
        byte[] stored = context.getBean(JdbcClient.class).sql("select auth_token from twilio_accounts where org_id = ?")
                .param(org).query(byte[].class).single();
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(secret);

        assertThat(putTwilio(admin, "{\"accountSid\":\"XY123\",\"authToken\":\"t\"}").statusCode()).isEqualTo(400);
        assertThat(putTwilio(admin, "{\"accountSid\":\"" + sid + "\",\"authToken\":\"t\",\"apiBaseUrl\":\"http://x.test/2010\"}")
                .statusCode()).isEqualTo(400);
        String member = IdentityTestAccess.tokenFor(context, org, Role.MEMBER);
        assertThat(putTwilio(member, "{\"accountSid\":\"" + sid + "\",\"authToken\":\"t\"}").statusCode()).isEqualTo(403);
        // Another organization cannot claim the same account.
        UUID other = IdentityTestAccess.organization(context);
        HttpResponse<String> claimed = putTwilio(IdentityTestAccess.adminToken(context, other),
                "{\"accountSid\":\"" + sid + "\",\"authToken\":\"t\"}");
        assertThat(claimed.statusCode()).isEqualTo(409);
    }

    @Test
    void numbersAreStoredInE164AndBelongToOneOrganization() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        UUID agent = CallTesting.createAgent(http, admin, CallTesting.llmAgentBody("Numbers " + UUID.randomUUID(), "Hi."));
        String digits = String.format("%04d", (int) (Math.random() * 10_000));
        HttpResponse<String> created = http.postJson("/api/v1/phone-numbers",
                "{\"number\":\"+1 (415) 555-" + digits + "\",\"agentId\":\"" + agent + "\"}", "Authorization", "Bearer " + admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode number = Http.json(created);
        assertThat(number.path("number").asString()).isEqualTo("+1415555" + digits);
        String id = number.path("id").asString();

        assertThat(http.postJson("/api/v1/phone-numbers", "{\"number\":\"555-1234\",\"agentId\":\"" + agent + "\"}",
                "Authorization", "Bearer " + admin).statusCode()).isEqualTo(400);
        assertThat(http.postJson("/api/v1/phone-numbers", "{\"number\":\"+1415555" + digits + "\",\"agentId\":\""
                + UUID.randomUUID() + "\"}", "Authorization", "Bearer " + admin).statusCode()).isEqualTo(400);
        UUID other = IdentityTestAccess.organization(context);
        String otherAdmin = IdentityTestAccess.adminToken(context, other);
        UUID otherAgent = CallTesting.createAgent(http, otherAdmin, CallTesting.llmAgentBody("Other " + UUID.randomUUID(), "Hi."));
        HttpResponse<String> taken = http.postJson("/api/v1/phone-numbers", "{\"number\":\"+1415555" + digits
                + "\",\"agentId\":\"" + otherAgent + "\"}", "Authorization", "Bearer " + otherAdmin);
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(Http.json(http.get("/api/v1/phone-numbers", "Authorization", "Bearer " + otherAdmin)).path("items").size())
                .isZero();
        HttpResponse<String> foreignDelete = http.send(http.request("/api/v1/phone-numbers/" + id)
                .header("Authorization", "Bearer " + otherAdmin).DELETE());
        assertThat(foreignDelete.statusCode()).isEqualTo(404);

        UUID second = CallTesting.createAgent(http, admin, CallTesting.llmAgentBody("Numbers " + UUID.randomUUID(), "Hi."));
        HttpResponse<String> patched = http.send(http.request("/api/v1/phone-numbers/" + id)
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"agentId\":\"" + second + "\"}")));
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(Http.json(patched).path("agentId").asString()).isEqualTo(second.toString());
        JsonNode listed = Http.json(http.get("/api/v1/phone-numbers", "Authorization", "Bearer " + admin));
        assertThat(listed.path("items").get(0).path("number").asString()).isEqualTo("+1415555" + digits);
        assertThat(http.send(http.request("/api/v1/phone-numbers/" + id).header("Authorization", "Bearer " + admin).DELETE())
                .statusCode()).isEqualTo(204);
    }
}
