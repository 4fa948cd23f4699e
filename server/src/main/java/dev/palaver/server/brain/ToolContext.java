package dev.palaver.server.brain;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

import dev.palaver.server.agents.AgentDefinition;

/**
 * What a tool knows of the conversation it runs in.
 *
 * @param callerId an E.164 number, {@code web:<userId>}, or null
 * @param now      the current instant (injected so tests can fix "today")
 */
record ToolContext(UUID orgId, UUID callId, String callerId, AgentDefinition agent, CallControl control,
                   Supplier<Instant> now) {

    /** The caller's own number, when they call from a phone. */
    String callerPhone() {
        return callerId != null && callerId.startsWith("+") ? callerId : null;
    }
}
