package dev.palaver.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.PageSessions;
import dev.palaver.server.identity.Role;
import dev.palaver.server.testing.SharedPalaverContext;

/** Behind a TLS-terminating proxy ({@code PALAVER_PUBLIC_URL} is https) every page cookie is Secure. */
@TestPropertySource(properties = "palaver.public-url=https://dashboard.example.test")
class SecureCookiesTest extends SharedPalaverContext {

    private static String value(List<String> setCookies, String name) {
        return setCookies.stream().filter(c -> c.startsWith(name + "=")).findFirst().orElseThrow()
                .substring(name.length() + 1).split(";")[0];
    }

    @Test
    void sessionAndCsrfCookiesAreSecure() {
        UUID org = IdentityTestAccess.organization(context);
        IdentityTestAccess.Login owner = IdentityTestAccess.member(context, org, Role.OWNER);
        HttpResponse<String> form = http.get("/login");
        List<String> formCookies = form.headers().allValues("Set-Cookie");
        assertThat(formCookies).filteredOn(c -> c.startsWith("palaver_csrf=")).singleElement()
                .satisfies(c -> assertThat(c).contains("Secure").contains("HttpOnly").contains("SameSite=Strict"));
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form.body());
        assertThat(token.find()).isTrue();
        String body = "email=" + URLEncoder.encode(owner.email(), StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(owner.password(), StandardCharsets.UTF_8) + "&_csrf=" + token.group(1);
        HttpResponse<String> login = http.send(http.request("/login")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "palaver_csrf=" + value(formCookies, "palaver_csrf"))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(login.statusCode()).isEqualTo(302);
        for (String name : List.of(PageSessions.ACCESS_COOKIE, PageSessions.REFRESH_COOKIE)) {
            assertThat(login.headers().allValues("Set-Cookie")).filteredOn(c -> c.startsWith(name + "="))
                    .singleElement().satisfies(c -> assertThat(c).contains("Secure").contains("HttpOnly"));
        }
    }
}
