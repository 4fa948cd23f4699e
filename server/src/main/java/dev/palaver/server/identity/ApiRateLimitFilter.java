package dev.palaver.server.identity;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.palaver.server.platform.ratelimit.RateLimitHeaders;
import dev.palaver.server.platform.ratelimit.RateLimiter;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.platform.web.Problems;

/**
 * Per client IP on the sign-in endpoints, per member or API key on the rest of the API (the
 * organization's own limit when it has one). Every API answer carries the RateLimit-* headers.
 */
public final class ApiRateLimitFilter extends OncePerRequestFilter {

    private static final long ORG_LIMIT_CACHE_NANOS = 30_000_000_000L;

    private final RateLimiter limiter;
    private final JdbcClient jdbc;
    private final RateLimiter.Limit authLimit;
    private final long defaultPerMinute;
    private final ConcurrentHashMap<UUID, long[]> orgLimits = new ConcurrentHashMap<>();

    ApiRateLimitFilter(RateLimiter limiter, JdbcClient jdbc, long authPerMinute, long defaultPerMinute) {
        this.limiter = limiter;
        this.jdbc = jdbc;
        this.authLimit = RateLimiter.Limit.perMinute(authPerMinute);
        this.defaultPerMinute = defaultPerMinute;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RateLimiter.Decision decision;
        if (request.getRequestURI().startsWith("/api/v1/auth/")) {
            decision = limiter.tryConsume("ip:" + request.getRemoteAddr(), authLimit);
        } else {
            Caller caller = AccessInterceptor.currentCaller();
            if (caller == null) {
                chain.doFilter(request, response);
                return;
            }
            String key = caller.isApiKey() ? "key:" + caller.apiKeyId() : "user:" + caller.userId() + ":" + caller.orgId();
            decision = limiter.tryConsume(key, RateLimiter.Limit.perMinute(perMinute(caller.orgId())));
        }
        RateLimitHeaders.apply(response, decision);
        if (!decision.allowed()) {
            Problems.write(request, response, ErrorCode.RATE_LIMITED,
                    "Too many requests; retry in " + decision.retryAfterSeconds() + " s.");
            return;
        }
        chain.doFilter(request, response);
    }

    /** A changed organization limit applies on this node at once, on others within the cache time. */
    @org.springframework.context.event.EventListener
    void organizationChanged(Members.OrganizationChanged event) {
        orgLimits.remove(event.orgId());
    }

    private long perMinute(UUID orgId) {
        long now = System.nanoTime();
        long[] cached = orgLimits.get(orgId);
        if (cached == null || now - cached[1] > ORG_LIMIT_CACHE_NANOS) {
            Integer own = jdbc.sql("select rate_limit_per_minute from organizations where id = ?").param(orgId)
                    .query(Integer.class).optional().orElse(null);
            cached = new long[] {own == null ? defaultPerMinute : own, now};
            orgLimits.put(orgId, cached);
        }
        return cached[0];
    }
}
