package dev.palaver.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

class LoginThrottleTest extends SharedPalaverContext {

    private List<String> twentyWrongPasswords(String email) {
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = http.postJson("/api/v1/auth/login",
                    "{\"email\":\"" + email + "\",\"password\":\"wrong-" + i + "\"}");
            String retry = r.headers().firstValue("Retry-After").map(v -> " retry").orElse("");
            outcomes.add(r.statusCode() + " " + Http.json(r).get("code").asString() + retry);
        }
        return outcomes;
    }

    @Test
    void repeatedWrongPasswordsAreThrottledAndUnknownEmailsGetTheSameAnswers() {
        IdentityFixtures fixtures = new IdentityFixtures(context);
        IdentityFixtures.Org org = fixtures.organization();
        List<String> known = twentyWrongPasswords(fixtures.email(org.user(Role.MEMBER)));
        List<String> unknown = twentyWrongPasswords("nobody-" + UUID.randomUUID() + "@example.test");

        assertThat(known.getFirst()).isEqualTo("401 unauthenticated");
        assertThat(known.getLast()).isEqualTo("429 rate_limited retry");
        assertThat(unknown).isEqualTo(known);
        // Even the right password waits out the back-off: a guesser learns nothing from a late success.
        HttpResponse<String> right = http.postJson("/api/v1/auth/login", "{\"email\":\"%s\",\"password\":\"%s\"}"
                .formatted(fixtures.email(org.user(Role.MEMBER)), IdentityFixtures.PASSWORD));
        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(right.headers().firstValue("Retry-After").orElseThrow())).isPositive();
    }
}
