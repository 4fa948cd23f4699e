package dev.palaver.server.webvoice;

import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.swagger.v3.oas.annotations.Operation;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.palaver.server.identity.PublicEndpoint;
import dev.palaver.server.platform.ratelimit.RateLimitHeaders;
import dev.palaver.server.platform.ratelimit.RateLimitedException;
import dev.palaver.server.platform.ratelimit.RateLimiter;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * Mints a browser-call session token for a page that embeds an agent with its publishable key:
 * {@code POST /webvoice/sessions?key=pk_...} from a page whose {@code Origin} is on the key's allow-list.
 * It is a CORS "simple" request (no body, no custom header), so no preflight; the answer carries
 * {@code Access-Control-Allow-Origin} for that origin only. Rate-limited per key and client address.
 */
@RestController
class WebSessionsController {

    private final PublishableKeys keys;
    private final WebSessionTokens tokens;
    private final RateLimiter limiter;
    private final RateLimiter.Limit limit;

    WebSessionsController(PublishableKeys keys, WebSessionTokens tokens, RateLimiter limiter,
                          WebVoiceProperties properties) {
        this.keys = keys;
        this.tokens = tokens;
        this.limiter = limiter;
        this.limit = RateLimiter.Limit.perMinute(properties.publicSessionsPerMinute());
    }

    record SessionToken(String token, UUID agentId, long expiresIn) {
    }

    @Operation(summary = "Mint a short-lived browser-call token with a publishable key (from an allowed origin)")
    @PostMapping("/webvoice/sessions")
    @PublicEndpoint("Pages on customers' sites mint call tokens with a publishable key; the key's allowed origins guard it")
    SessionToken mint(@RequestParam("key") String key, @RequestHeader(value = HttpHeaders.ORIGIN, required = false) String origin,
                      HttpServletRequest request, HttpServletResponse response) {
        PublishableKeys.PublishableKey found = keys.byKey(key)
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHENTICATED, "Unknown or revoked publishable key."));
        if (!found.allows(origin)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "This page's origin is not allowed to use this key.");
        }
        response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        RateLimiter.Decision decision = limiter.tryConsume("webvoice-session:" + found.id() + ":" + request.getRemoteAddr(), limit);
        RateLimitHeaders.apply(response, decision);
        if (!decision.allowed()) {
            throw new RateLimitedException(decision);
        }
        return new SessionToken(tokens.mint(found, origin.toLowerCase(java.util.Locale.ROOT)), found.agentId(),
                tokens.ttl().toSeconds());
    }
}
