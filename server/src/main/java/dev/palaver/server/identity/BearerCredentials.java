package dev.palaver.server.identity;

import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Who a bearer credential (an access token or an API key) belongs to, for places that receive one outside
 * the {@code Authorization} header: the API's filter, and the browser voice socket, whose first message
 * carries it (browsers cannot set headers on a WebSocket).
 */
@Component
public class BearerCredentials {

    private final AccessTokens tokens;
    private final SessionGuard sessions;
    private final ApiKeys apiKeys;

    BearerCredentials(AccessTokens tokens, SessionGuard sessions, ApiKeys apiKeys) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.apiKeys = apiKeys;
    }

    /** The caller, or empty when the credential is malformed, expired, revoked or unknown. */
    public Optional<Caller> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > 4096) {
            return Optional.empty();
        }
        if (ApiKeys.looksLikeKey(token)) {
            return apiKeys.authenticate(token);
        }
        return tokens.verify(token).flatMap(sessions::check);
    }
}
