package dev.palaver.server.platform.security;

import java.util.Set;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;

import dev.palaver.server.identity.PageSessions;

/**
 * CSRF protection for the pages: a double-submit token in an HttpOnly, SameSite=Strict cookie, sent back
 * by forms as {@code _csrf} (Thymeleaf adds it) and by htmx as the {@code X-CSRF-TOKEN} header. It is
 * required on every state-changing request that carries page-session cookies, and on the login form; the
 * API (bearer tokens, no ambient credentials) and cookie-less webhooks are not affected.
 */
public final class PageCsrf {

    static final String COOKIE = "palaver_csrf";
    /** The header htmx sends the token in ({@code palaver.js} copies it from {@code <meta name="csrf-token">}). */
    static final String HEADER = "X-CSRF-TOKEN";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private PageCsrf() {
    }

    /** {@code alwaysSecure}: TLS ends at a proxy ({@code PALAVER_PUBLIC_URL} is https), so mark the cookie Secure. */
    static CsrfTokenRepository repository(boolean alwaysSecure) {
        CookieCsrfTokenRepository repository = new CookieCsrfTokenRepository();
        repository.setCookieName(COOKIE);
        repository.setHeaderName(HEADER);
        repository.setCookieCustomizer(c -> {
            c.httpOnly(true).sameSite("Strict").path("/");
            if (alwaysSecure) {
                c.secure(true);
            }
        });
        return repository;
    }

    /** Drops the token at sign-in, so a token planted before it (login CSRF, fixation) is not the session's. */
    public static void renew(HttpServletRequest request, HttpServletResponse response) {
        repository(false).saveToken(null, request, response);
    }

    static boolean needsToken(HttpServletRequest request) {
        if (SAFE.contains(request.getMethod()) || request.getRequestURI().startsWith("/api/")) {
            return false;
        }
        return "/login".equals(request.getRequestURI()) || hasPageSession(request);
    }

    private static boolean hasPageSession(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return false;
        }
        for (Cookie c : cookies) {
            if (PageSessions.ACCESS_COOKIE.equals(c.getName()) || PageSessions.REFRESH_COOKIE.equals(c.getName())) {
                return true;
            }
        }
        return false;
    }
}
