package dev.palaver.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.testing.SharedPalaverContext;

/** The login form spends the same per-address sign-in budget as the API's sign-in endpoints. */
@TestPropertySource(properties = "palaver.rate-limits.auth-per-minute=4")
class LoginAddressLimitTest extends SharedPalaverContext {

    @Test
    void signInsFromOneAddressShareOneBudgetAcrossFormAndApi() {
        UUID org = IdentityTestAccess.organization(context);
        IdentityTestAccess.Login member = IdentityTestAccess.member(context, org, Role.MEMBER);
        PageClient pages = new PageClient(port);
        for (int i = 0; i < 3; i++) {
            assertThat(pages.login("nobody-" + i + "@example.test", "wrong-password").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> api = http.postJson("/api/v1/auth/login",
                "{\"email\":\"nobody@example.test\",\"password\":\"wrong-password\"}");
        assertThat(api.statusCode()).isEqualTo(401);
        HttpResponse<String> refused = pages.login(member.email(), member.password());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("Too many sign-in attempts from this address");
        assertThat(http.postJson("/api/v1/auth/login", "{\"email\":\"%s\",\"password\":\"%s\"}"
                .formatted(member.email(), member.password())).statusCode()).isEqualTo(429);
    }
}
