package dev.palaver.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.PageSessions;
import dev.palaver.server.identity.Role;
import dev.palaver.server.testing.SharedPalaverContext;

/** The page session: login form, cookies, redirects, refresh, CSRF, logout — over real HTTP. */
class PageAuthTest extends SharedPalaverContext {

    private IdentityTestAccess.Login owner;
    private PageClient pages;

    @BeforeEach
    void member() {
        UUID org = IdentityTestAccess.organization(context);
        owner = IdentityTestAccess.member(context, org, Role.OWNER);
        pages = new PageClient(port);
    }

    @Test
    void pagesWithoutASessionRedirectToLogin() {
        HttpResponse<String> r = pages.get("/?tab=x");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/login?next=%2F%3Ftab%3Dx");
        HttpResponse<String> login = pages.get("/login");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("<title>Sign in · Palaver</title>").contains("name=\"_csrf\"");
    }

    @Test
    void htmxRequestsWithoutASessionAreToldWhereToSignIn() {
        HttpResponse<String> r = pages.get("/", "HX-Request", "true");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("HX-Redirect")).contains("/login?next=%2F");
    }

    @Test
    void loginSetsStrictHttpOnlyCookiesAndOpensThePages() {
        HttpResponse<String> r = pages.login(owner.email(), owner.password());
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/");
        List<String> setCookies = r.headers().allValues("Set-Cookie");
        for (String name : List.of(PageSessions.ACCESS_COOKIE, PageSessions.REFRESH_COOKIE)) {
            assertThat(setCookies).filteredOn(c -> c.startsWith(name + "="))
                    .singleElement().satisfies(c -> assertThat(c).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/"));
        }
        HttpResponse<String> overview = pages.get("/");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("<title>Overview · Palaver</title>").contains("Skip to main content");
    }

    @Test
    void loginReturnsToThePageAskedForButNeverToAnotherSite() {
        pages.get("/login");
        HttpResponse<String> r = pages.post("/login", Map.of("email", owner.email(), "password", owner.password(),
                "next", "/?tab=x"), true);
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/?tab=x");
        PageClient other = new PageClient(port);
        other.get("/login");
        HttpResponse<String> evil = other.post("/login", Map.of("email", owner.email(), "password", owner.password(),
                "next", "//evil.example/steal"), true);
        assertThat(evil.headers().firstValue("Location").orElseThrow()).doesNotContain("evil").endsWith("/");
    }

    @Test
    void theCsrfTokenStaysForTheSessionButIsRenewedAtSignIn() {
        pages.get("/login");
        String before = pages.cookie("palaver_csrf");
        assertThat(before).isNotNull();
        HttpResponse<String> login = pages.post("/login", Map.of("email", owner.email(), "password", owner.password()), true);
        assertThat(login.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("palaver_csrf=;"));
        pages.get("/");
        String during = pages.cookie("palaver_csrf");
        assertThat(during).isNotNull().isNotEqualTo(before);
        pages.get("/");
        pages.get("/");
        assertThat(pages.cookie("palaver_csrf")).isEqualTo(during);
    }

    @Test
    void aWrongPasswordIsAReadableMessageAndNoSession() {
        HttpResponse<String> r = pages.login(owner.email(), "wrong-password-123");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("role=\"alert\"").contains("The email or password is wrong.");
        assertThat(pages.cookie(PageSessions.ACCESS_COOKIE)).isNull();
        assertThat(pages.get("/").statusCode()).isEqualTo(302);
    }

    @Test
    void repeatedWrongPasswordsOnTheFormAreThrottledWithAReadableMessage() {
        HttpResponse<String> last = null;
        for (int i = 0; i < 20; i++) {
            last = pages.login(owner.email(), "wrong-" + i);
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.body()).contains("role=\"alert\"").contains("Too many failed sign-ins for this email");
        assertThat(pages.login(owner.email(), owner.password()).statusCode()).isEqualTo(429);
        assertThat(pages.cookie(PageSessions.ACCESS_COOKIE)).isNull();
    }

    @Test
    void theLoginFormNeedsItsCsrfToken() {
        pages.get("/login");
        HttpResponse<String> r = pages.post("/login", Map.of("email", owner.email(), "password", owner.password()), false);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(pages.cookie(PageSessions.ACCESS_COOKIE)).isNull();
    }

    @Test
    void aTamperedAccessCookieSendsToLoginAndIsCleared() {
        pages.login(owner.email(), owner.password());
        String access = pages.cookie(PageSessions.ACCESS_COOKIE);
        pages.removeCookie(PageSessions.REFRESH_COOKIE);
        char last = access.charAt(access.length() - 2);
        pages.setCookie(PageSessions.ACCESS_COOKIE, access.substring(0, access.length() - 2)
                + (last == 'A' ? 'B' : 'A') + access.charAt(access.length() - 1));
        HttpResponse<String> r = pages.get("/");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElseThrow()).contains("/login");
        assertThat(r.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith(PageSessions.ACCESS_COOKIE + "=;").contains("Max-Age=0"));
    }

    @Test
    void anExpiredAccessCookieIsRefreshedTransparently() {
        pages.login(owner.email(), owner.password());
        String oldRefresh = pages.cookie(PageSessions.REFRESH_COOKIE);
        pages.removeCookie(PageSessions.ACCESS_COOKIE);
        HttpResponse<String> r = pages.get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(pages.cookie(PageSessions.ACCESS_COOKIE)).isNotNull();
        assertThat(pages.cookie(PageSessions.REFRESH_COOKIE)).isNotNull().isNotEqualTo(oldRefresh);
    }

    @Test
    void logoutNeedsCsrfAndEndsTheSessionEverywhere() {
        pages.login(owner.email(), owner.password());
        pages.get("/");
        String access = pages.cookie(PageSessions.ACCESS_COOKIE);
        assertThat(pages.post("/logout", Map.of(), false).statusCode()).isEqualTo(403);
        assertThat(pages.get("/").statusCode()).isEqualTo(200);
        HttpResponse<String> out = pages.post("/logout", Map.of(), true);
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(out.headers().firstValue("Location").orElseThrow()).contains("/login");
        PageClient replay = new PageClient(port);
        replay.setCookie(PageSessions.ACCESS_COOKIE, access);
        assertThat(replay.get("/").statusCode()).isEqualTo(302);
        assertThat(http.get("/api/v1/me", "Authorization", "Bearer " + access).statusCode()).isEqualTo(401);
    }

    @Test
    void theApiIgnoresPageCookiesAndKeepsBearerAuth() {
        pages.login(owner.email(), owner.password());
        HttpResponse<String> withCookies = pages.get("/api/v1/me");
        assertThat(withCookies.statusCode()).isEqualTo(401);
        String access = pages.cookie(PageSessions.ACCESS_COOKIE);
        assertThat(http.get("/api/v1/me", "Authorization", "Bearer " + access).statusCode()).isEqualTo(200);
    }

    @Test
    void aMalformedIdIsAReadableNotFoundPage() {
        pages.login(owner.email(), owner.password());
        HttpResponse<String> r = pages.get("/agents/not-an-id");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("<title>Not found · Palaver</title>").contains("There is no such page.");
        HttpResponse<String> htmx = pages.get("/agents/not-an-id", "HX-Request", "true");
        assertThat(htmx.headers().firstValue("HX-Retarget")).contains("#htmx-error");
        assertThat(htmx.body()).doesNotContain("<html").contains("There is no such page.");
    }

    @Test
    void unknownRoutesStayNotFound() {
        assertThat(pages.get("/no/such/page").statusCode()).isEqualTo(404);
    }
}
