package dev.palaver.server.platform.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;

/** Buckets in Redis (compare-and-swap), shared by every node on that Redis. */
final class RedisRateLimiter implements RateLimiter, AutoCloseable {

    private final RedisClient client;
    private final ProxyManager<byte[]> buckets;

    RedisRateLimiter(String redisUrl) {
        this.client = RedisClient.create(redisUrl);
        this.client.setDefaultTimeout(Duration.ofSeconds(2));
        this.buckets = Bucket4jLettuce.casBasedBuilder(client)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .build();
    }

    @Override
    public Decision tryConsume(String key, Limit limit) {
        return Buckets.decision(bucket(key, limit).tryConsumeAndReturnRemaining(1), limit);
    }

    @Override
    public Decision peek(String key, Limit limit) {
        return Buckets.decision(bucket(key, limit).estimateAbilityToConsume(1), limit);
    }

    private io.github.bucket4j.distributed.BucketProxy bucket(String key, Limit limit) {
        byte[] redisKey = ("palaver:ratelimit:" + Buckets.key(key, limit)).getBytes(StandardCharsets.UTF_8);
        return buckets.builder().build(redisKey, () -> Buckets.configuration(limit));
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
