package dev.palaver.server.calls;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.identity.Scopes;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.Cursor;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.platform.web.Page;

/**
 * Call records over HTTP: list (filters, cursor), one call with its timeline, transcript and per-turn
 * metrics, its recording (with byte ranges), and hanging up a live call. Viewers and keys with
 * {@code calls:read} read; members and keys with {@code calls:write} hang up.
 */
@RestController
@RequestMapping("/api/v1/calls")
@Tag(name = "Calls", description = "Call records, transcripts, recordings and live-call control")
class CallsController {

    static final int MAX_EVENTS = 10_000;
    static final int MAX_SEGMENTS = 5_000;

    private final CallRecords records;
    private final CallRuntime runtime;
    private final CallHistory history;

    CallsController(CallRecords records, CallRuntime runtime, CallHistory history) {
        this.records = records;
        this.runtime = runtime;
        this.history = history;
    }

    @GetMapping
    @Access(role = Role.VIEWER, scope = Scopes.CALLS_READ)
    @Operation(summary = "List calls, newest first",
            description = "Filters combine with AND; `number` matches the calling or the called number. "
                    + "`startedFrom` is inclusive, `startedTo` exclusive (ISO-8601 instants).")
    Page<CallRecord> list(Caller caller,
                          @RequestParam(required = false) UUID agentId,
                          @Parameter(description = "queued, ringing, in_progress, completed, failed, busy, no_answer, canceled")
                          @RequestParam(required = false) String status,
                          @Parameter(description = "inbound, outbound or web")
                          @RequestParam(required = false) String direction,
                          @RequestParam(required = false) String number,
                          @RequestParam(required = false) String startedFrom,
                          @RequestParam(required = false) String startedTo,
                          @RequestParam(required = false) String cursor,
                          @RequestParam(required = false) Integer limit) {
        return history.list(caller.orgId(), new CallHistory.Query(agentId, status == null ? null : CallStatus.fromWire(status),
                direction == null ? null : CallDirection.fromWire(direction),
                number == null || number.isBlank() ? null : number.strip(),
                instant("startedFrom", startedFrom), instant("startedTo", startedTo)), cursor, limit);
    }

    @GetMapping("/{id}")
    @Access(role = Role.VIEWER, scope = Scopes.CALLS_READ)
    @Operation(summary = "One call with its events, transcript and per-turn metrics")
    CallRecord.Details get(Caller caller, @PathVariable UUID id) {
        return history.details(caller.orgId(), id);
    }

    @GetMapping("/{id}/recording")
    @Access(role = Role.VIEWER, scope = Scopes.CALLS_READ)
    @Operation(summary = "The call's recording: two-channel WAV (caller left, agent right); honours Range")
    ResponseEntity<Resource> recording(Caller caller, @PathVariable UUID id) {
        CallRecord.Recording recording = find(caller, id).recording();
        Resource resource = history.recording(caller.orgId(), id);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("audio/wav"))
                .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                .header("Digest", "sha-256=" + recording.sha256())
                .body(resource);
    }

    @PostMapping("/{id}/hangup")
    @Access(role = Role.MEMBER, scope = Scopes.CALLS_WRITE)
    @Operation(summary = "Hang up a live call",
            description = "202 while the call ends (on whichever node holds it; a call whose media has not "
                    + "connected yet ends at once as canceled and its stream is refused); 409 if it has ended.")
    ResponseEntity<Map<String, Object>> hangUp(Caller caller, @PathVariable UUID id) {
        CallRecord call = find(caller, id);
        if (call.endedAt() != null) {
            throw new ApiException(ErrorCode.CONFLICT, "The call has already ended.");
        }
        if (!runtime.hangUp(caller.orgId(), id)) {
            throw new ApiException(ErrorCode.CONFLICT, "The call has already ended.");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", id, "status", "ending"));
    }

    private CallRecord find(Caller caller, UUID id) {
        return records.find(caller.orgId(), id).orElseThrow(CallHistory::notFound);
    }

    /** An optional ISO-8601 instant parameter; a bad one is 400 {@code bad_request}. */
    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, name + " must be an ISO-8601 instant such as 2026-01-31T09:00:00Z.");
        }
    }
}
