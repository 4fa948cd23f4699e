package dev.palaver.server.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.palaver.server.testing.SharedPalaverContext;

/** Browser-facing protections: security headers on every response, CORS only for allow-listed origins. */
class SecurityHeadersAndCorsTest extends SharedPalaverContext {

    @Test
    void responsesCarrySecurityHeaders() {
        for (HttpResponse<String> r : List.of(http.get("/actuator/health/liveness"), http.get("/api/v1/me"),
                http.get("/no/such/route"), http.postJson("/test/echo", "{\"name\":\"Ada\"}"))) {
            var h = r.headers();
            assertThat(h.allValues("X-Content-Type-Options")).as("%s", r.uri()).containsExactly("nosniff");
            assertThat(h.allValues("X-Frame-Options")).as("%s", r.uri()).containsExactly("DENY");
            assertThat(h.firstValue("Referrer-Policy")).as("%s", r.uri()).hasValue("strict-origin-when-cross-origin");
            assertThat(h.firstValue("Content-Security-Policy")).as("%s", r.uri()).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'")
                    .doesNotContain("unsafe-eval"));
        }
    }

    @Test
    void strictTransportSecurityOnlyBehindTls() {
        HttpResponse<String> plain = http.get("/actuator/health/liveness");
        // A TLS-terminating proxy on loopback (a trusted internal proxy) says the client used https.
        HttpResponse<String> behindTls = http.get("/actuator/health/liveness", "X-Forwarded-Proto", "https");

        assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
        assertThat(behindTls.headers().firstValue("Strict-Transport-Security"))
                .hasValueSatisfying(v -> assertThat(v).contains("max-age=31536000", "includeSubDomains"));
    }

    @Test
    void allowListedOriginPassesApiPreflight() {
        HttpResponse<String> r = preflight(ALLOWED_ORIGIN);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().allValues("Access-Control-Allow-Origin")).containsExactly(ALLOWED_ORIGIN);
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(m -> assertThat(m).contains("POST"));
    }

    @Test
    void otherOriginGetsNoCorsGrant() {
        HttpResponse<String> preflight = preflight("https://evil.example.test");
        HttpResponse<String> simple = http.get("/api/v1/me", "Origin", "https://evil.example.test");

        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(simple.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private HttpResponse<String> preflight(String origin) {
        return http.send(http.request("/api/v1/me")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "Authorization, Content-Type"));
    }
}
