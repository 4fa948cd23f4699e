package dev.palaver.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

/** Passwords, access and refresh tokens and API keys used in every identity flow never reach the log. */
@ExtendWith(OutputCaptureExtension.class)
class CredentialsNeverLoggedTest extends SharedPalaverContext {

    @Test
    void noPasswordTokenOrKeyAppearsInTheOutput(CapturedOutput output) {
        IdentityFixtures fixtures = new IdentityFixtures(context);
        IdentityFixtures.Org org = fixtures.organization();
        String email = fixtures.email(org.user(Role.ADMIN));

        HttpResponse<String> wrong = http.postJson("/api/v1/auth/login",
                "{\"email\":\"" + email + "\",\"password\":\"wrong-secret-password-77\"}");
        assertThat(wrong.statusCode()).isEqualTo(401);
        JsonNode tokens = Http.json(http.postJson("/api/v1/auth/login",
                "{\"email\":\"" + email + "\",\"password\":\"" + IdentityFixtures.PASSWORD + "\"}"));
        String access = tokens.get("accessToken").asString();
        String refresh = tokens.get("refreshToken").asString();
        JsonNode rotated = Http.json(http.postJson("/api/v1/auth/refresh", "{\"refreshToken\":\"" + refresh + "\"}"));
        assertThat(http.postJson("/api/v1/auth/refresh", "{\"refreshToken\":\"" + refresh + "\"}").statusCode()).isEqualTo(401);
        String admin = "Bearer " + fixtures.accessToken(org, Role.ADMIN);
        String key = Http.json(http.postJson("/api/v1/api-keys", "{\"name\":\"k\",\"scopes\":[\"calls:read\"]}",
                "Authorization", admin)).get("secret").asString();
        assertThat(http.get("/api/v1/members", "Authorization", "Bearer " + key).statusCode()).isEqualTo(403);
        assertThat(http.get("/api/v1/me", "Authorization", "Bearer " + access + "x").statusCode()).isEqualTo(401);
        assertThat(http.get("/api/v1/me?token=" + key, "Authorization", "Bearer " + key + "x").statusCode()).isEqualTo(401);
        // A refused password change inside an authenticated request: still no credentials in the output.
        assertThat(http.postJson("/api/v1/me/password", "{\"currentPassword\":\"" + IdentityFixtures.PASSWORD
                + "\",\"newPassword\":\"short\"}", "Authorization", admin)
                .statusCode()).isEqualTo(400);

        String all = output.getAll();
        for (String secret : new String[] {IdentityFixtures.PASSWORD, "wrong-secret-password-77", access, refresh,
                rotated.get("accessToken").asString(), rotated.get("refreshToken").asString(), key,
                access.substring(access.lastIndexOf('.') + 1), key.substring(key.lastIndexOf('_') + 1)}) {
            assertThat(all).as("output must not contain a credential").doesNotContain(secret);
        }
    }
}
