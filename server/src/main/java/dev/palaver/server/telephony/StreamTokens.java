package dev.palaver.server.telephony;

import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.palaver.server.platform.crypto.SecretBox;

/**
 * The token that lets one media stream join one call. Twilio strips query strings from stream URLs, so it
 * travels as a TwiML {@code <Parameter>} and comes back in the stream's {@code start} message. It is sealed
 * with the server's {@link SecretBox} (authenticated encryption: it cannot be forged or altered), names
 * the organization and call, and expires soon. It is single-use because a call's media attaches once
 * (the runtime refuses a second attach).
 */
@Component
class StreamTokens {

    private static final String CONTEXT = "twilio-stream-token";

    record Claims(UUID orgId, UUID callId) {
    }

    private final SecretBox box;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    StreamTokens(SecretBox box) {
        this(box, Clock.systemUTC());
    }

    StreamTokens(SecretBox box, Clock clock) {
        this.box = box;
        this.clock = clock;
    }

    String issue(UUID orgId, UUID callId, Duration ttl) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        byte[] sealed = box.encrypt(orgId + "|" + callId + "|" + expires, CONTEXT);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    /** The claims of a genuine, unexpired token; empty for anything else. */
    Optional<Claims> verify(String token) {
        if (token == null || token.isBlank() || token.length() > 1_000) {
            return Optional.empty();
        }
        try {
            String plain = box.decrypt(Base64.getUrlDecoder().decode(token), CONTEXT);
            String[] parts = plain.split("\\|");
            if (parts.length != 3 || Long.parseLong(parts[2]) < clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            return Optional.of(new Claims(UUID.fromString(parts[0]), UUID.fromString(parts[1])));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
