package dev.palaver.server.calls;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.core.io.Resource;
import org.springframework.stereotype.Service;

import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.Cursor;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.platform.web.Page;

/**
 * Read access to an organization's calls for other features (the dashboard): the same listing, details
 * and recording as the calls API, through {@link CallRecords}.
 */
@Service
public class CallHistory {

    private final CallRecords records;
    private final Recordings recordings;

    CallHistory(CallRecords records, Recordings recordings) {
        this.records = records;
        this.recordings = recordings;
    }

    /** Which calls to list; null fields do not filter; {@code number} matches the calling or the called number. */
    public record Query(UUID agentId, CallStatus status, CallDirection direction, String number, Instant startedFrom,
                        Instant startedTo) {
    }

    public Page<CallRecord> list(UUID orgId, Query q, String cursor, Integer limit) {
        int size = Cursor.limit(limit);
        CallFilter filter = new CallFilter(q.agentId(), q.status(), q.direction(), q.number(), q.startedFrom(), q.startedTo());
        return Page.of(records.list(orgId, filter, Cursor.decode(cursor), size + 1), size, CallRecord::id);
    }

    public Optional<CallRecord> find(UUID orgId, UUID id) {
        return records.find(orgId, id);
    }

    /** A call with its timeline, transcript and per-turn latency, as {@code GET /api/v1/calls/{id}} answers it. */
    public CallRecord.Details details(UUID orgId, UUID id) {
        CallRecord call = records.find(orgId, id).orElseThrow(CallHistory::notFound);
        List<CallRecord.Event> events = records.events(orgId, id, CallsController.MAX_EVENTS);
        return new CallRecord.Details(call, events, records.transcript(orgId, id, CallsController.MAX_SEGMENTS),
                events.stream().filter(e -> e.type().equals("turn")).map(CallRecord.Event::payload).toList());
    }

    /** The finished recording of a call of the organization; 404 with the reason when there is none (yet). */
    public Resource recording(UUID orgId, UUID id) {
        CallRecord.Recording recording = records.find(orgId, id).orElseThrow(CallHistory::notFound).recording();
        if (!"complete".equals(recording.status()) || recording.key() == null) {
            throw new ApiException(ErrorCode.NOT_FOUND, switch (recording.status()) {
                case "recording", "retrying" -> "The recording is not finished yet.";
                case "failed" -> "The recording failed: " + recording.error();
                default -> "The call has no recording.";
            });
        }
        return recordings.storage().open(recording.key())
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "The recording is missing from storage."));
    }

    static ApiException notFound() {
        return new ApiException(ErrorCode.NOT_FOUND, "No such call.");
    }
}
