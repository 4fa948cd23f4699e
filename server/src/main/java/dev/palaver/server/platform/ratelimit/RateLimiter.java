package dev.palaver.server.platform.ratelimit;

import java.time.Duration;

/**
 * Token buckets by key. In memory on one node by default; shared through Redis when it is configured,
 * so that all nodes together stay within one limit.
 */
public interface RateLimiter {

    /** {@code capacity} requests per {@code period}, refilled smoothly. */
    record Limit(long capacity, Duration period) {
        public static Limit perMinute(long capacity) {
            return new Limit(capacity, Duration.ofMinutes(1));
        }
    }

    /** The outcome for one key: whether the request may go on, and what the RateLimit-* headers say. */
    record Decision(boolean allowed, long limit, long remaining, long retryAfterSeconds, long resetSeconds) {
    }

    /** Takes one token when there is one. */
    Decision tryConsume(String key, Limit limit);

    /** Says whether one token is there, taking nothing. */
    Decision peek(String key, Limit limit);
}
