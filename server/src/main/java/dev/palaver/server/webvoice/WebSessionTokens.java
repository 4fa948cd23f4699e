package dev.palaver.server.webvoice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.palaver.server.platform.crypto.SecretBox;

/**
 * Short-lived tokens that let a page embedding an agent open one browser call: sealed (AES-GCM with the
 * server's encryption key, so every node can open them and nobody can forge or alter them), naming the
 * organization, agent, publishable key and the page's origin, and expiring after
 * {@link WebVoiceProperties#sessionTokenTtl()}. The socket checks the origin again, and that the key is
 * still active.
 */
@Component
class WebSessionTokens {

    static final String PREFIX = "wst_";
    private static final String CONTEXT = "webvoice-session-v1";

    /** What a valid token grants. */
    record WebSession(UUID orgId, UUID agentId, UUID keyId, String origin) {
    }

    private final SecretBox box;
    private final Duration ttl;
    private final Clock clock = Clock.systemUTC();

    WebSessionTokens(SecretBox box, WebVoiceProperties properties) {
        this.box = box;
        this.ttl = properties.sessionTokenTtl();
    }

    Duration ttl() {
        return ttl;
    }

    String mint(PublishableKeys.PublishableKey key, String origin) {
        Instant expires = clock.instant().plus(ttl);
        String payload = String.join("|", key.orgId().toString(), key.agentId().toString(), key.id().toString(),
                origin, Long.toString(expires.toEpochMilli()));
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(box.encrypt(payload, CONTEXT));
    }

    /** The session, if the token is genuine and unexpired. */
    Optional<WebSession> open(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 1000) {
            return Optional.empty();
        }
        try {
            String[] parts = box.decrypt(Base64.getUrlDecoder().decode(token.substring(PREFIX.length())), CONTEXT)
                    .split("\\|");
            if (parts.length != 5 || Instant.ofEpochMilli(Long.parseLong(parts[4])).isBefore(clock.instant())) {
                return Optional.empty();
            }
            return Optional.of(new WebSession(UUID.fromString(parts[0]), UUID.fromString(parts[1]),
                    UUID.fromString(parts[2]), parts[3]));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    static boolean looksLikeToken(String value) {
        return value != null && value.startsWith(PREFIX);
    }
}
