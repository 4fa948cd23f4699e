package dev.palaver.server.platform.ratelimit;

import org.springframework.http.HttpHeaders;

/** The RateLimit-* response headers (IETF draft names) and Retry-After. */
public final class RateLimitHeaders {
    private RateLimitHeaders() {
    }

    public static HttpHeaders of(RateLimiter.Decision d) {
        HttpHeaders h = new HttpHeaders();
        h.set("RateLimit-Limit", Long.toString(d.limit()));
        h.set("RateLimit-Remaining", Long.toString(d.remaining()));
        h.set("RateLimit-Reset", Long.toString(d.resetSeconds()));
        if (!d.allowed()) {
            h.set(HttpHeaders.RETRY_AFTER, Long.toString(d.retryAfterSeconds()));
        }
        return h;
    }

    public static void apply(jakarta.servlet.http.HttpServletResponse response, RateLimiter.Decision d) {
        of(d).forEach((name, values) -> values.forEach(v -> response.setHeader(name, v)));
    }
}
