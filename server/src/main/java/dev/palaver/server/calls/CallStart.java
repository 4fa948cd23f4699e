package dev.palaver.server.calls;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What a transport knows when a call begins.
 *
 * @param orgId     the organization
 * @param agentId   the agent to run (its current version is recorded)
 * @param direction inbound or outbound phone call, or a browser call
 * @param from      the calling number (E.164) or null
 * @param to        the called number (E.164) or null
 * @param callerId  who is calling, for memory: an E.164 number, {@code web:<userId>}, or null
 * @param metadata  the client's own key/values, stored with the call (at most 16 KB as JSON)
 */
public record CallStart(UUID orgId, UUID agentId, CallDirection direction, String from, String to, String callerId,
                        Map<String, Object> metadata) {

    public CallStart {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(direction, "direction");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
