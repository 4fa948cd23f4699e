package dev.palaver.server.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

class ProviderCredentialsTest extends SharedPalaverContext {

    private HttpResponse<String> put(String bearer, String provider, String body) {
        return http.send(http.request("/api/v1/provider-credentials/" + provider).header("Authorization", bearer)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void aKeyIsStoredSealedShownMaskedAndUsableByTheServer() {
        var org = IdentityTestAccess.organization(context);
        String admin = "Bearer " + IdentityTestAccess.adminToken(context, org);
        String key = "sk-test-" + java.util.UUID.randomUUID();

        HttpResponse<String> saved = put(admin, "openai", "{\"apiKey\":\"" + key + "\",\"baseUrl\":\"https://llm.example.test/v1\"}");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        assertThat(saved.body()).doesNotContain(key).contains("••••" + key.substring(key.length() - 4));
        HttpResponse<String> listed = http.get("/api/v1/provider-credentials", "Authorization", admin);
        assertThat(listed.body()).contains("openai").contains("https://llm.example.test/v1").doesNotContain(key);

        byte[] stored = context.getBean(JdbcClient.class)
                .sql("select secret from provider_credentials where org_id = ? and provider = 'openai'")
                .param(org).query(byte[].class).single();
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(key);
        assertThat(context.getBean(ProviderCredentials.class).find(org, "openai").orElseThrow().apiKey()).isEqualTo(key);
        assertThat(context.getBean(ProviderCredentials.class).find(org, "openai").orElseThrow().toString()).doesNotContain(key);

        long audited = context.getBean(JdbcClient.class)
                .sql("select count(*) from audit_events where org_id = ? and action = 'provider_credential.set'")
                .param(org).query(Long.class).single();
        assertThat(audited).isEqualTo(1);
        assertThat(http.send(http.request("/api/v1/provider-credentials/openai").header("Authorization", admin).DELETE())
                .statusCode()).isEqualTo(204);
        assertThat(context.getBean(ProviderCredentials.class).find(org, "openai")).isEmpty();
    }

    @Test
    void unknownProvidersAndBadUrlsAreRefused() {
        var org = IdentityTestAccess.organization(context);
        String admin = "Bearer " + IdentityTestAccess.adminToken(context, org);
        HttpResponse<String> unknown = put(admin, "acme", "{\"apiKey\":\"k\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        HttpResponse<String> badUrl = put(admin, "openai", "{\"apiKey\":\"k\",\"baseUrl\":\"ftp://x\"}");
        assertThat(badUrl.statusCode()).isEqualTo(400);
        assertThat(Http.json(badUrl).get("code").asString()).isEqualTo("validation_failed");
        assertThat(put(admin, "openai", "{\"apiKey\":\"\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void anotherOrganizationSeesNoneOfThem() {
        var orgA = IdentityTestAccess.organization(context);
        var orgB = IdentityTestAccess.organization(context);
        put("Bearer " + IdentityTestAccess.adminToken(context, orgA), "deepgram", "{\"apiKey\":\"dg-secret-value-1234\"}");
        String adminB = "Bearer " + IdentityTestAccess.adminToken(context, orgB);
        assertThat(http.get("/api/v1/provider-credentials", "Authorization", adminB).body()).doesNotContain("deepgram");
        assertThat(http.send(http.request("/api/v1/provider-credentials/deepgram").header("Authorization", adminB).DELETE())
                .statusCode()).isEqualTo(404);
    }
}
