package dev.palaver.server.identity;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

import dev.palaver.server.platform.config.PalaverProperties;
import dev.palaver.server.platform.web.ApiException;

/**
 * Sign-in for the web pages. A page login opens an ordinary {@link Sessions session}; its access and
 * refresh tokens live in two cookies, {@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} when the
 * request came over https or {@code PALAVER_PUBLIC_URL} is https. The access cookie is checked like a
 * bearer token (signature, expiry, session not revoked, current role); when it has expired the refresh
 * cookie is exchanged transparently for a new pair.
 *
 * <p>Other features get the signed-in member of a page request, including a WebSocket handshake (the
 * upgrade request passes the same filter), with {@link #caller(HttpServletRequest)}.
 */
@Component
public class PageSessions {

    public static final String ACCESS_COOKIE = "palaver_access";
    public static final String REFRESH_COOKIE = "palaver_refresh";
    static final String CALLER_ATTRIBUTE = PageSessions.class.getName() + ".caller";
    /** Parallel requests of one page may all find the access token expired: they share one refresh. */
    private static final long REFRESH_SHARE_NANOS = Duration.ofSeconds(30).toNanos();
    private static final int MAX_SHARED = 10_000;

    private final AccessTokens tokens;
    private final SessionGuard guard;
    private final Sessions sessions;
    private final boolean httpsPublicUrl;
    private final ConcurrentHashMap<String, Refreshed> recentRefreshes = new ConcurrentHashMap<>();

    PageSessions(AccessTokens tokens, SessionGuard guard, Sessions sessions, PalaverProperties props) {
        this.tokens = tokens;
        this.guard = guard;
        this.sessions = sessions;
        this.httpsPublicUrl = props.publicUrl() != null && props.publicUrl().startsWith("https://");
    }

    private record Refreshed(Sessions.Tokens tokens, long at) {
    }

    /** The member signed in to this page request, when its cookies are good; empty otherwise. */
    public static Optional<Caller> caller(HttpServletRequest request) {
        return request.getAttribute(CALLER_ATTRIBUTE) instanceof Caller c ? Optional.of(c) : Optional.empty();
    }

    /** Signs in with email and password (the same checks and throttling as the API) and sets the cookies. */
    public Caller signIn(String email, String password, HttpServletRequest request, HttpServletResponse response) {
        Sessions.Tokens t = sessions.login(email, password, null);
        writeCookies(t, request, response);
        return tokens.verify(t.accessToken()).flatMap(guard::check)
                .orElseThrow(() -> new IllegalStateException("a freshly issued access token did not verify"));
    }

    /** Ends the session (both tokens stop working everywhere) and clears the cookies. */
    public void signOut(Caller caller, HttpServletRequest request, HttpServletResponse response) {
        sessions.logout(caller);
        clearCookies(request, response);
    }

    /**
     * Authenticates a page request from its cookies, refreshing when the access token has expired.
     * Cookies that do not authenticate are cleared.
     */
    Optional<Caller> authenticate(HttpServletRequest request, HttpServletResponse response) {
        String access = cookie(request, ACCESS_COOKIE);
        String refresh = cookie(request, REFRESH_COOKIE);
        if (access == null && refresh == null) {
            return Optional.empty();
        }
        Optional<Caller> caller = access == null || access.length() > 4096
                ? Optional.empty() : tokens.verify(access).flatMap(guard::check);
        if (caller.isEmpty() && refresh != null && refresh.length() <= 200) {
            caller = refreshed(refresh).flatMap(t -> {
                writeCookies(t, request, response);
                return tokens.verify(t.accessToken()).flatMap(guard::check);
            });
        }
        if (caller.isEmpty()) {
            clearCookies(request, response);
        }
        caller.ifPresent(c -> request.setAttribute(CALLER_ATTRIBUTE, c));
        return caller;
    }

    private Optional<Sessions.Tokens> refreshed(String refreshToken) {
        long now = System.nanoTime();
        if (recentRefreshes.size() > MAX_SHARED) {
            recentRefreshes.entrySet().removeIf(e -> now - e.getValue().at() > REFRESH_SHARE_NANOS);
        }
        try {
            Refreshed r = recentRefreshes.compute(java.util.HexFormat.of().formatHex(ApiKeys.sha256(refreshToken)), (key, previous) ->
                    previous != null && now - previous.at() <= REFRESH_SHARE_NANOS
                            ? previous : new Refreshed(sessions.refresh(refreshToken), now));
            return Optional.of(r.tokens());
        } catch (ApiException invalid) {
            return Optional.empty();
        }
    }

    private void writeCookies(Sessions.Tokens t, HttpServletRequest request, HttpServletResponse response) {
        add(response, cookie(request, ACCESS_COOKIE, t.accessToken(), Duration.ofSeconds(t.expiresIn())));
        add(response, cookie(request, REFRESH_COOKIE, t.refreshToken(), Sessions.SESSION_TTL));
    }

    void clearCookies(HttpServletRequest request, HttpServletResponse response) {
        add(response, cookie(request, ACCESS_COOKIE, "", Duration.ZERO));
        add(response, cookie(request, REFRESH_COOKIE, "", Duration.ZERO));
    }

    private ResponseCookie cookie(HttpServletRequest request, String name, String value, Duration maxAge) {
        return ResponseCookie.from(name, value).path("/").httpOnly(true).sameSite("Strict")
                .secure(request.isSecure() || httpsPublicUrl).maxAge(maxAge).build();
    }

    private static void add(HttpServletResponse response, ResponseCookie cookie) {
        response.addHeader("Set-Cookie", cookie.toString());
    }

    private static String cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (name.equals(c.getName()) && !c.getValue().isEmpty()) {
                return c.getValue();
            }
        }
        return null;
    }
}
