package dev.palaver.server.platform.redis;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.palaver.server.platform.config.PalaverProperties;

/**
 * Redis is optional: with {@code PALAVER_REDIS_URL} set it carries shared ephemeral state between nodes
 * and counts toward readiness; without it nothing connects to Redis at all.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${palaver.redis-url:}'.isBlank()")
public class RedisConfiguration {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Bean
    LettuceConnectionFactory redisConnectionFactory(PalaverProperties props) {
        RedisURI uri = RedisURI.create(props.redisUrl());
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
        server.setDatabase(uri.getDatabase());
        if (uri.getUsername() != null) {
            server.setUsername(uri.getUsername());
        }
        if (uri.getPassword() != null) {
            server.setPassword(RedisPassword.of(uri.getPassword()));
        }
        LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
                .commandTimeout(TIMEOUT)
                .clientOptions(ClientOptions.builder()
                        .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
                        .build());
        if (uri.isSsl()) {
            client.useSsl();
        }
        return new LettuceConnectionFactory(server, client.build());
    }

    @Bean
    StringRedisTemplate stringRedisTemplate(LettuceConnectionFactory factory) {
        return new StringRedisTemplate(factory);
    }

    @Bean
    HealthIndicator redisHealthIndicator(LettuceConnectionFactory factory) {
        return () -> {
            try (RedisConnection connection = factory.getConnection()) {
                return "PONG".equalsIgnoreCase(connection.ping()) ? Health.up().build()
                        : Health.down().withDetail("reason", "unexpected reply to PING").build();
            } catch (RuntimeException e) {
                return Health.down().withDetail("reason", "Redis is unreachable").build();
            }
        };
    }
}
