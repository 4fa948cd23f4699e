package dev.palaver.server.calls;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/** The calls tables in SQL. Every query names the organization. */
@Repository
class CallRecords {

    static final String COLUMNS = """
            org_id, id, direction, from_number, to_number, caller_id, agent_id, agent_version, status, end_reason,
            started_at, answered_at, ended_at, metadata::text as metadata, node_id, provider_call_id, events_dropped,
            recording_status, recording_key, recording_bytes, recording_duration_ms, recording_sha256,
            recording_attempts, recording_error, provider_status, provider_duration_seconds""";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    CallRecords(JdbcClient jdbc, TransactionTemplate tx, ObjectMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
    }

    /**
     * Inserts a new call unless the organization already has its limit of open calls. The advisory lock
     * serialises the count-then-insert per organization across every node sharing the database.
     */
    void insertWithinLimit(UUID orgId, UUID id, CallStart start, int agentVersion, CallStatus status, String nodeId,
                           int defaultLimit) {
        tx.executeWithoutResult(t -> {
            jdbc.sql("select 1 from (select pg_advisory_xact_lock(hashtextextended('calls:' || ?::text, 0))) locked")
                    .param(orgId).query(Integer.class).single();
            Integer orgLimit = jdbc.sql("select max_concurrent_calls from organizations where id = ?").param(orgId)
                    .query(Integer.class).optional().orElse(null);
            int limit = orgLimit != null ? orgLimit : defaultLimit;
            long open = jdbc.sql("select count(*) from calls where org_id = ? and ended_at is null").param(orgId)
                    .query(Long.class).single();
            if (open >= limit) {
                throw new ApiException(ErrorCode.CALL_LIMIT_REACHED,
                        "The organization has " + open + " calls in progress, its limit.");
            }
            jdbc.sql("""
                    insert into calls (org_id, id, direction, from_number, to_number, caller_id, agent_id, agent_version,
                                       status, metadata, node_id)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)""")
                    .params(orgId, id, start.direction().wire(), start.from(), start.to(), start.callerId(),
                            start.agentId(), agentVersion, status.wire(),
                            json.writeValueAsString(start.metadata()), nodeId)
                    .update();
        });
    }

    /**
     * The call has media now: in progress, answered, held by {@code nodeId}. Succeeds once per call (the
     * media of a call is attached once), and never for an ended call or one someone asked to hang up.
     */
    boolean markAnswered(UUID orgId, UUID id, String nodeId) {
        return jdbc.sql("""
                update calls set status = 'in_progress', answered_at = now(), node_id = ?
                 where org_id = ? and id = ? and ended_at is null and answered_at is null
                   and hangup_requested_at is null""")
                .params(nodeId, orgId, id).update() == 1;
    }

    /** Sets the final status once; false if the call had already ended. */
    boolean markEnded(UUID orgId, UUID id, CallStatus status, String endReason, Instant endedAt, int eventsDropped) {
        return jdbc.sql("""
                update calls set status = ?, end_reason = ?, ended_at = ?, events_dropped = events_dropped + ?
                 where org_id = ? and id = ? and ended_at is null""")
                .params(status.wire(), endReason, Timestamp.from(endedAt), eventsDropped, orgId, id).update() == 1;
    }

    /**
     * Ends a call whose media never attached: its direction, or empty if it has ended or its media is
     * attached.
     */
    Optional<CallDirection> endUnanswered(UUID orgId, UUID id, CallStatus status, String endReason) {
        return jdbc.sql("""
                update calls set status = ?, end_reason = ?, ended_at = now()
                 where org_id = ? and id = ? and ended_at is null and answered_at is null returning direction""")
                .params(status.wire(), endReason, orgId, id).query(String.class).optional().map(CallDirection::fromWire);
    }

    void setProviderCallId(UUID orgId, UUID id, String providerCallId) {
        jdbc.sql("update calls set provider_call_id = ? where org_id = ? and id = ?")
                .params(providerCallId, orgId, id).update();
    }

    void providerStatus(UUID orgId, UUID id, String status, Integer durationSeconds) {
        jdbc.sql("""
                update calls set provider_status = ?, provider_duration_seconds = coalesce(?, provider_duration_seconds)
                 where org_id = ? and id = ?""").params(status, durationSeconds, orgId, id).update();
    }

    /** Asks the node holding an open call to hang it up; false if the call is not open. */
    boolean requestHangUp(UUID orgId, UUID id) {
        return jdbc.sql("""
                update calls set hangup_requested_at = coalesce(hangup_requested_at, now())
                 where org_id = ? and id = ? and ended_at is null""").params(orgId, id).update() == 1;
    }

    /** Of this node's open calls, those someone asked another node to hang up. */
    List<UUID> hangUpsRequested(String nodeId) {
        return jdbc.sql("""
                select id from calls where node_id = ? and ended_at is null and hangup_requested_at is not null""")
                .param(nodeId).query(UUID.class).list();
    }

    void appendEvent(UUID orgId, UUID callId, int seq, String type, Instant at, long offsetMs, String payloadJson) {
        jdbc.sql("""
                insert into call_events (org_id, call_id, seq, type, at, offset_ms, payload)
                values (?, ?, ?, ?, ?, ?, ?::jsonb) on conflict do nothing""")
                .params(orgId, callId, seq, type, Timestamp.from(at), offsetMs, payloadJson).update();
    }

    void appendSegment(UUID orgId, UUID callId, int seq, String role, String text, long startMs, long endMs,
                       boolean interrupted) {
        jdbc.sql("""
                insert into transcript_segments (org_id, call_id, seq, role, text, start_ms, end_ms, interrupted)
                values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")
                .params(orgId, callId, seq, role, text, startMs, endMs, interrupted).update();
    }

    void recordingState(UUID orgId, UUID id, String status, String key, int attempts, String error) {
        jdbc.sql("""
                update calls set recording_status = ?, recording_key = coalesce(?, recording_key),
                       recording_attempts = ?, recording_error = ? where org_id = ? and id = ?""")
                .params(status, key, attempts, error, orgId, id).update();
    }

    void recordingFinished(UUID orgId, UUID id, long bytes, long durationMs, String sha256) {
        jdbc.sql("""
                update calls set recording_status = 'complete', recording_bytes = ?, recording_duration_ms = ?,
                       recording_sha256 = ?, recording_error = null where org_id = ? and id = ?""")
                .params(bytes, durationMs, sha256, orgId, id).update();
    }

    Optional<CallRecord> find(UUID orgId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from calls where org_id = ? and id = ?").params(orgId, id)
                .query(this::record).optional();
    }

    Optional<CallRecord> findByProviderCallId(String providerCallId) {
        return jdbc.sql("select " + COLUMNS + " from calls where provider_call_id = ?").params(providerCallId)
                .query(this::record).optional();
    }

    /** One page, newest first; {@code after} is the last call of the previous page. */
    List<CallRecord> list(UUID orgId, CallFilter filter, UUID after, int fetch) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from calls where org_id = ?");
        List<Object> params = new ArrayList<>();
        params.add(orgId);
        if (filter.agentId() != null) {
            sql.append(" and agent_id = ?");
            params.add(filter.agentId());
        }
        if (filter.status() != null) {
            sql.append(" and status = ?");
            params.add(filter.status().wire());
        }
        if (filter.direction() != null) {
            sql.append(" and direction = ?");
            params.add(filter.direction().wire());
        }
        if (filter.number() != null) {
            // Two index range scans (from, to) merged by the planner with a BitmapOr.
            sql.append(" and (from_number = ? or to_number = ?)");
            params.add(filter.number());
            params.add(filter.number());
        }
        if (filter.startedFrom() != null) {
            sql.append(" and started_at >= ?");
            params.add(Timestamp.from(filter.startedFrom()));
        }
        if (filter.startedTo() != null) {
            sql.append(" and started_at < ?");
            params.add(Timestamp.from(filter.startedTo()));
        }
        if (after != null) {
            sql.append(" and (started_at, id) < (select started_at, id from calls where org_id = ? and id = ?)");
            params.add(orgId);
            params.add(after);
        }
        sql.append(" order by started_at desc, id desc limit ?");
        params.add(fetch);
        return jdbc.sql(sql.toString()).params(params).query(this::record).list();
    }

    List<CallRecord.Event> events(UUID orgId, UUID callId, int max) {
        return jdbc.sql("""
                select seq, type, at, offset_ms, payload::text as payload from call_events
                 where org_id = ? and call_id = ? order by seq limit ?""")
                .params(orgId, callId, max)
                .query((rs, n) -> new CallRecord.Event(rs.getInt("seq"), rs.getString("type"),
                        rs.getTimestamp("at").toInstant(), rs.getLong("offset_ms"), tree(rs.getString("payload"))))
                .list();
    }

    List<CallRecord.Segment> transcript(UUID orgId, UUID callId, int max) {
        return jdbc.sql("""
                select seq, role, text, start_ms, end_ms, interrupted from transcript_segments
                 where org_id = ? and call_id = ? order by seq limit ?""")
                .params(orgId, callId, max)
                .query((rs, n) -> new CallRecord.Segment(rs.getInt("seq"), rs.getString("role"), rs.getString("text"),
                        rs.getLong("start_ms"), rs.getLong("end_ms"), rs.getBoolean("interrupted")))
                .list();
    }

    private JsonNode tree(String text) {
        return json.readTree(text);
    }

    private CallRecord record(ResultSet rs, int row) throws SQLException {
        Long bytes = (Long) rs.getObject("recording_bytes");
        Long duration = (Long) rs.getObject("recording_duration_ms");
        return new CallRecord(rs.getObject("org_id", UUID.class), rs.getObject("id", UUID.class),
                CallDirection.fromWire(rs.getString("direction")), rs.getString("from_number"),
                rs.getString("to_number"), rs.getString("caller_id"), rs.getObject("agent_id", UUID.class),
                rs.getInt("agent_version"), CallStatus.fromWire(rs.getString("status")), rs.getString("end_reason"),
                instant(rs, "started_at"), instant(rs, "answered_at"), instant(rs, "ended_at"),
                tree(rs.getString("metadata")), rs.getString("node_id"), rs.getString("provider_call_id"),
                rs.getInt("events_dropped"), rs.getString("provider_status"),
                (Integer) rs.getObject("provider_duration_seconds"),
                new CallRecord.Recording(rs.getString("recording_status"), rs.getString("recording_key"), bytes,
                        duration, rs.getString("recording_sha256"), rs.getInt("recording_attempts"),
                        rs.getString("recording_error")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
