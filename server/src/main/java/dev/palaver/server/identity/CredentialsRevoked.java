package dev.palaver.server.identity;

/**
 * A session or API key was revoked: caches of "is this credential still good?" must be dropped. Raised
 * locally after the revoking transaction commits; relayed to other nodes through Redis when configured.
 */
public record CredentialsRevoked(boolean fromAnotherNode) {
}
