package dev.palaver.server.platform.ratelimit;

import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/** Too many attempts; the decision says when to retry. */
public final class RateLimitedException extends ApiException {
    private final transient RateLimiter.Decision decision;

    public RateLimitedException(RateLimiter.Decision decision) {
        super(ErrorCode.RATE_LIMITED, "Too many attempts; retry in " + decision.retryAfterSeconds() + " s.");
        this.decision = decision;
    }

    public RateLimiter.Decision decision() {
        return decision;
    }
}
