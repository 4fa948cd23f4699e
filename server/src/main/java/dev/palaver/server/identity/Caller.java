package dev.palaver.server.identity;

import java.util.Set;
import java.util.UUID;

/**
 * Who is calling: a member signed in to one organization (user, role, session) or an API key of one
 * organization (key id, scopes). Everything tenant-scoped is filtered by {@link #orgId()}.
 */
public record Caller(UUID orgId, UUID userId, Role role, UUID sessionId, UUID apiKeyId, Set<String> scopes) {

    public static Caller member(UUID orgId, UUID userId, Role role, UUID sessionId) {
        return new Caller(orgId, userId, role, sessionId, null, Set.of());
    }

    public static Caller apiKey(UUID orgId, UUID apiKeyId, Set<String> scopes) {
        return new Caller(orgId, null, null, null, apiKeyId, Set.copyOf(scopes));
    }

    public boolean isApiKey() {
        return apiKeyId != null;
    }
}
