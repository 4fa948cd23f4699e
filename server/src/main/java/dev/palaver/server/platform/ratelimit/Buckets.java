package dev.palaver.server.platform.ratelimit;

import java.util.concurrent.TimeUnit;

import io.github.bucket4j.BandwidthBuilder;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;

/** Bucket4j configuration and probe translation shared by both limiters. */
final class Buckets {
    private Buckets() {
    }

    static BucketConfiguration configuration(RateLimiter.Limit limit) {
        return BucketConfiguration.builder()
                .addLimit(BandwidthBuilder.builder().capacity(limit.capacity())
                        .refillGreedy(limit.capacity(), limit.period()).build())
                .build();
    }

    static RateLimiter.Decision decision(ConsumptionProbe probe, RateLimiter.Limit limit) {
        return new RateLimiter.Decision(probe.isConsumed(), limit.capacity(), probe.getRemainingTokens(),
                probe.isConsumed() ? 0 : seconds(probe.getNanosToWaitForRefill()),
                seconds(probe.getNanosToWaitForReset()));
    }

    static RateLimiter.Decision decision(EstimationProbe probe, RateLimiter.Limit limit) {
        return new RateLimiter.Decision(probe.canBeConsumed(), limit.capacity(), probe.getRemainingTokens(),
                probe.canBeConsumed() ? 0 : seconds(probe.getNanosToWaitForRefill()),
                seconds(probe.getNanosToWaitForRefill()));
    }

    static String key(String key, RateLimiter.Limit limit) {
        return key + "|" + limit.capacity() + "/" + limit.period().toSeconds();
    }

    private static long seconds(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + 999_999_999L));
    }
}
