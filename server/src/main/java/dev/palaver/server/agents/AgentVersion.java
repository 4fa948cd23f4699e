package dev.palaver.server.agents;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One immutable version of an agent: what a call runs and records ({@code agentId}, {@code version}).
 * {@code createdByUser} or {@code createdByApiKey} says who saved it (either may be null).
 */
public record AgentVersion(UUID orgId, UUID agentId, int version, AgentDefinition definition, UUID createdByUser,
                           UUID createdByApiKey, Instant createdAt) {
    public AgentVersion {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
