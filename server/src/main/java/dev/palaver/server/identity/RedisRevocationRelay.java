package dev.palaver.server.identity;

import java.util.UUID;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * With Redis configured, a revocation on one node is announced on a Redis channel the moment it commits,
 * and every other node drops its credential caches at once instead of waiting for them to expire.
 */
@Component
@ConditionalOnExpression("!'${palaver.redis-url:}'.isBlank()")
final class RedisRevocationRelay implements AutoCloseable {

    static final String CHANNEL = "palaver:revocations";
    private final String node = UUID.randomUUID().toString();
    private final StringRedisTemplate redis;
    private final RedisMessageListenerContainer listener;

    RedisRevocationRelay(StringRedisTemplate redis, RedisConnectionFactory factory, ApplicationEventPublisher events) {
        this.redis = redis;
        this.listener = new RedisMessageListenerContainer();
        listener.setConnectionFactory(factory);
        listener.addMessageListener((message, pattern) -> {
            if (!node.equals(new String(message.getBody(), java.nio.charset.StandardCharsets.UTF_8))) {
                events.publishEvent(new CredentialsRevoked(true));
            }
        }, new ChannelTopic(CHANNEL));
        listener.afterPropertiesSet();
        listener.start();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void announce(CredentialsRevoked event) {
        if (!event.fromAnotherNode()) {
            redis.convertAndSend(CHANNEL, node);
        }
    }

    @Override
    public void close() throws Exception {
        listener.stop();
        listener.destroy();
    }
}
