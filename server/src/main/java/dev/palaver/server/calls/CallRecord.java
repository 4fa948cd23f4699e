package dev.palaver.server.calls;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import tools.jackson.databind.JsonNode;

/** A call as stored. */
public record CallRecord(@JsonIgnore UUID orgId, UUID id, CallDirection direction, String from, String to,
                         String callerId, UUID agentId, int agentVersion, CallStatus status, String endReason,
                         Instant startedAt, Instant answeredAt, Instant endedAt,
                         @Schema(implementation = Object.class, description = "the client's key/values") JsonNode metadata,
                         String nodeId, String providerCallId, int eventsDropped, String providerStatus,
                         Integer providerDurationSeconds, Recording recording) {

    /** The recording's state: none, recording, retrying (a write failed and is being retried), complete, failed. */
    public record Recording(String status, @JsonIgnore String key, Long bytes, Long durationMs, String sha256,
                            int attempts, String error) {
    }

    /** One timeline entry; {@code offsetMs} counts from the start of media. */
    public record Event(int seq, String type, Instant at, long offsetMs,
                        @Schema(implementation = Object.class) JsonNode payload) {
    }

    /** A call with its timeline, transcript and per-turn latency (the payloads of its {@code turn} events). */
    public record Details(@JsonUnwrapped CallRecord call, List<Event> events, List<Segment> transcript,
                          @ArraySchema(schema = @Schema(implementation = Object.class)) List<JsonNode> turns) {
    }

    /** One stretch of speech; an interrupted agent segment holds only what the caller heard. */
    public record Segment(int seq, String role, String text, long startMs, long endMs, boolean interrupted) {
    }
}
