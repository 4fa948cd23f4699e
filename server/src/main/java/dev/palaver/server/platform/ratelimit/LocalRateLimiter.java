package dev.palaver.server.platform.ratelimit;

import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bucket;

/** Buckets in this node's memory; bounded: full buckets are dropped when the map grows large. */
final class LocalRateLimiter implements RateLimiter {

    private static final int MAX_BUCKETS = 100_000;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Override
    public Decision tryConsume(String key, Limit limit) {
        return Buckets.decision(bucket(key, limit).tryConsumeAndReturnRemaining(1), limit);
    }

    @Override
    public Decision peek(String key, Limit limit) {
        return Buckets.decision(bucket(key, limit).estimateAbilityToConsume(1), limit);
    }

    private Bucket bucket(String key, Limit limit) {
        if (buckets.size() > MAX_BUCKETS) {
            buckets.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= capacityOf(e.getKey()));
        }
        return buckets.computeIfAbsent(Buckets.key(key, limit),
                k -> Bucket.builder().addLimit(Buckets.configuration(limit).getBandwidths()[0]).build());
    }

    private static long capacityOf(String bucketKey) {
        int bar = bucketKey.lastIndexOf('|');
        int slash = bucketKey.lastIndexOf('/');
        return Long.parseLong(bucketKey.substring(bar + 1, slash));
    }
}
