package dev.palaver.server.calls;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * An organization's calls in figures, for the dashboard's overview: counts and durations, turn latency
 * percentiles over time (from the {@code turn} events' {@code firstAudioOutMs}: caller stops speaking →
 * first agent audio), and the latest errors. The counts start from the organization's calls by start time
 * ({@code calls_org_started}), then their events by primary key; the latency series from the turn events.
 */
@Service
public class CallStatistics {

    /** How much earlier than its call's start a turn may be stamped (clocks of nodes that disagree). */
    private static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);

    /**
     * The latency series; named parameters {@code bucket}, {@code org}, {@code since}, {@code turnsFrom}. The turns
     * come through {@code call_events_turns_org_at} (by organization and time) and are matched to the calls started
     * since {@code since} as a set, not one call lookup per turn; the subquery ({@code offset 0} keeps it apart)
     * hands the sort two narrow columns instead of whole event rows, so it stays in memory.
     */
    /**
     * Error events of the calls started since {@code :since}, read by organization and time through
     * {@code call_events_errors_org_at} (an event comes after its call started; the margin as for turns).
     */
    static final String ERRORS = """
            select count(*) from call_events e join calls c on c.id = e.call_id
            where e.org_id = :org and e.type = 'error' and e.at >= :eventsFrom
              and c.org_id = :org and c.started_at >= :since""";

    static final String LATENCY = """
            select bucket, count(*) as turns,
                   percentile_cont(0.5) within group (order by ms) as p50,
                   percentile_cont(0.9) within group (order by ms) as p90
            from (select date_trunc(:bucket, e.at at time zone 'UTC') at time zone 'UTC' as bucket,
                         case when jsonb_typeof(e.payload->'firstAudioOutMs') = 'number'
                              then (e.payload->>'firstAudioOutMs')::double precision end as ms
                  from call_events e
                  where e.org_id = :org and e.type = 'turn' and e.at >= :turnsFrom
                    and e.call_id in (select c.id from calls c where c.org_id = :org and c.started_at >= :since)
                  offset 0) turns
            where ms is not null
            group by bucket order by bucket""";

    private final JdbcClient jdbc;

    CallStatistics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Calls started since {@code since}: how many, still open, failed; their average duration when ended; error events. */
    public record Summary(long calls, long open, long failed, Double averageSeconds, long errors) {
    }

    /** Turn latency in one time bucket. */
    public record LatencyBucket(Instant start, long turns, double p50Ms, double p90Ms) {
    }

    /** One error event of a call. */
    public record CallError(UUID callId, Instant at, String component, String message) {
    }

    public Summary summary(UUID orgId, Instant since) {
        Summary calls = jdbc.sql("""
                select count(*) as calls, count(*) filter (where ended_at is null) as open,
                       count(*) filter (where status = 'failed') as failed,
                       avg(extract(epoch from ended_at - coalesce(answered_at, started_at)))
                           filter (where ended_at is not null)::double precision as avg_seconds
                from calls where org_id = :org and started_at >= :since""")
                .param("org", orgId).param("since", Timestamp.from(since))
                .query((rs, i) -> new Summary(rs.getLong("calls"), rs.getLong("open"), rs.getLong("failed"),
                        (Double) rs.getObject("avg_seconds", Double.class), 0))
                .single();
        long errors = jdbc.sql(ERRORS)
                .param("org", orgId).param("since", Timestamp.from(since))
                .param("eventsFrom", Timestamp.from(since.minus(CLOCK_MARGIN))).query(Long.class).single();
        return new Summary(calls.calls(), calls.open(), calls.failed(), calls.averageSeconds(), errors);
    }

    /**
     * p50 and p90 of turn latency per {@code bucket} ({@code hour} or {@code day}) for calls started since {@code since}.
     * A turn comes after its call started (the caller has spoken), so the turns are read by organization and time
     * through {@code call_events_turns_org_at} (the five minutes' margin covers clocks of nodes that disagree);
     * the calls' start still decides which turns count.
     */
    public List<LatencyBucket> latency(UUID orgId, Instant since, String bucket) {
        if (!bucket.equals("hour") && !bucket.equals("day")) {
            throw new IllegalArgumentException("bucket must be hour or day");
        }
        return jdbc.sql(LATENCY)
                .param("bucket", bucket).param("org", orgId).param("since", Timestamp.from(since))
                .param("turnsFrom", Timestamp.from(since.minus(CLOCK_MARGIN)))
                .query((rs, i) -> new LatencyBucket(rs.getTimestamp("bucket").toInstant(), rs.getLong("turns"),
                        rs.getDouble("p50"), rs.getDouble("p90")))
                .list();
    }

    /** The latest error events of calls started since {@code since}, newest first. */
    public List<CallError> recentErrors(UUID orgId, Instant since, int limit) {
        return jdbc.sql("""
                select c.id, e.at, e.payload->>'component' as component, e.payload->>'message' as message
                from calls c join call_events e on e.call_id = c.id
                where c.org_id = :org and c.started_at >= :since and e.type = 'error'
                order by e.at desc limit :n""")
                .param("org", orgId).param("since", Timestamp.from(since)).param("n", limit)
                .query((rs, i) -> new CallError(rs.getObject("id", UUID.class), rs.getTimestamp("at").toInstant(),
                        rs.getString("component"), rs.getString("message")))
                .list();
    }
}
