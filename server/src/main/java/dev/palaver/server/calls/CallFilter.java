package dev.palaver.server.calls;

import java.time.Instant;
import java.util.UUID;

/** Which calls a listing shows; null fields do not filter. {@code number} matches either end. */
record CallFilter(UUID agentId, CallStatus status, CallDirection direction, String number, Instant startedFrom,
                  Instant startedTo) {
}
