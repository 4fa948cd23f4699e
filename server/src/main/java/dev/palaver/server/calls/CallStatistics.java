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
 * first agent audio), and the latest errors. The counts ({@link CallCounts}) and the latency series
 * ({@link LatencySeries}) read closed hours (and days) from rollups and the rest from the calls and turn events,
 * so they cost the same at any number of calls; the error count reads error events by organization and time.
 */
@Service
public class CallStatistics {

    /** How much earlier than its call's start an event may be stamped (clocks of nodes that disagree). */
    private static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);

    /**
     * Error events of the calls started since {@code :since}, read by organization and time through
     * {@code call_events_errors_org_at} (an event comes after its call started, give or take {@link #CLOCK_MARGIN}).
     */
    static final String ERRORS = """
            select count(*) from call_events e join calls c on c.id = e.call_id
            where e.org_id = :org and e.type = 'error' and e.at >= :eventsFrom
              and c.org_id = :org and c.started_at >= :since""";

    /** The latency series' statement over the turn events themselves (see {@link LatencySeries#LIVE}). */
    static final String LATENCY = LatencySeries.LIVE;

    private final JdbcClient jdbc;
    private final LatencySeries latency;
    private final CallCounts counts;

    CallStatistics(JdbcClient jdbc, LatencySeries latency, CallCounts counts) {
        this.jdbc = jdbc;
        this.latency = latency;
        this.counts = counts;
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
        CallCounts.Figures calls = counts.figures(orgId, since, Instant.now());
        long errors = jdbc.sql(ERRORS)
                .param("org", orgId).param("since", Timestamp.from(since))
                .param("eventsFrom", Timestamp.from(since.minus(CLOCK_MARGIN))).query(Long.class).single();
        return new Summary(calls.calls(), calls.open(), calls.failed(), calls.averageSeconds(), errors);
    }

    /**
     * p50 and p90 of turn latency per {@code bucket} ({@code hour} or {@code day}, UTC) of the organization's turns
     * at or after {@code since}, by the turns' own time; buckets without turns are left out. Closed buckets are
     * read from a rollup ({@link LatencySeries}), so a series costs the same at any number of calls.
     */
    public List<LatencyBucket> latency(UUID orgId, Instant since, String bucket) {
        return latency.series(orgId, since, bucket, Instant.now());
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
