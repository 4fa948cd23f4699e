package dev.palaver.server.platform.ratelimit;

import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.palaver.server.platform.config.PalaverProperties;

@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    /** Spring calls the Redis limiter's close() on shutdown (inferred destroy method). */
    @Bean
    RateLimiter rateLimiter(PalaverProperties props) {
        if (props.redisConfigured()) {
            LoggerFactory.getLogger(RateLimitConfiguration.class).info("Rate limits are shared through Redis");
            return new RedisRateLimiter(props.redisUrl());
        }
        return new LocalRateLimiter();
    }
}
