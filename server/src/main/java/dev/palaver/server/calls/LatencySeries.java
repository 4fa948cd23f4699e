package dev.palaver.server.calls;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turn latency per UTC hour or day, exact at any number of calls: a bucket that has closed is read from
 * {@code call_latency_rollup} (one row), computed from the turn events the first time a series needs it and stored;
 * the bucket {@code since} falls in (only its turns from {@code since} on) and the buckets not yet closed are
 * computed from the turn events on every request ({@link RollupWindow}). The database keeps the rows true: a turn
 * written later than the grace, or deleted or changed, deletes its buckets' rows (V14's triggers), and the next
 * series computes them again.
 */
@Component
class LatencySeries {

    private static final String TURNS = """
            select date_trunc(:bucket, e.at at time zone 'UTC') at time zone 'UTC' as bucket,
                   case when jsonb_typeof(e.payload->'firstAudioOutMs') = 'number'
                        then (e.payload->>'firstAudioOutMs')::double precision end as ms
            from call_events e
            where e.org_id = :org and e.type = 'turn' and (%s)
            offset 0""";

    private static final String PERCENTILES = """
            select bucket, count(*) as turns,
                   percentile_cont(0.5) within group (order by ms) as p50,
                   percentile_cont(0.9) within group (order by ms) as p90
            from (%s) turns
            where ms is not null
            group by bucket""";

    /**
     * The buckets computed from the turn events on every request; named parameters {@code bucket}, {@code org},
     * {@code since}, {@code turnsFrom}: the turns from {@code since} to the end of its bucket, and those from
     * {@code turnsFrom} on. With {@code turnsFrom} at or before {@code since}, the whole series from the turn events.
     * The turns come through {@code call_events_turns_org_at} (by organization and time); the subquery
     * ({@code offset 0} keeps it apart) hands the sort two narrow columns instead of whole event rows.
     */
    static final String LIVE = PERCENTILES.formatted(TURNS.formatted("""
            e.at >= cast(:since as timestamptz)
                  and e.at < date_trunc(:bucket, cast(:since as timestamptz) at time zone 'UTC') at time zone 'UTC'
                             + make_interval(hours => case when :bucket = 'day' then 24 else 1 end)
               or e.at >= greatest(cast(:since as timestamptz), cast(:turnsFrom as timestamptz))""")) + " order by bucket";

    /**
     * Computes and stores the closed buckets from {@code from} to {@code to} that have no row yet (parameters
     * {@code bucket}, {@code hours} (its length), {@code org}, {@code from}, {@code to}); empty ones as
     * {@code turns = 0}, so they are not looked for again.
     */
    static final String FILL = """
            insert into call_latency_rollup (org_id, unit, bucket, turns, p50_ms, p90_ms)
            select :org, :bucket, b.bucket, coalesce(r.turns, 0), r.p50, r.p90
            from generate_series(cast(:from as timestamptz), cast(:to as timestamptz) - make_interval(hours => :hours),
                                 make_interval(hours => :hours)) b (bucket)
            left join (%s) r on r.bucket = b.bucket
            on conflict do nothing""".formatted(PERCENTILES.formatted(TURNS.formatted(
            "e.at >= cast(:from as timestamptz) and e.at < cast(:to as timestamptz)")));

    private static final String STORED = """
            select bucket, turns, p50_ms, p90_ms from call_latency_rollup
            where org_id = :org and unit = :bucket and bucket >= :from and bucket < :to order by bucket""";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    LatencySeries(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** p50 and p90 per {@code bucket} ({@code hour} or {@code day}) of the turns at or after {@code since}, as of {@code now}. */
    List<CallStatistics.LatencyBucket> series(UUID orgId, Instant since, String bucket, Instant now) {
        ChronoUnit unit = switch (bucket) {
            case "hour" -> ChronoUnit.HOURS;
            case "day" -> ChronoUnit.DAYS;
            default -> throw new IllegalArgumentException("bucket must be hour or day");
        };
        RollupWindow window = RollupWindow.of(since, unit, now);
        List<CallStatistics.LatencyBucket> buckets = new ArrayList<>(window.rolls()
                ? stored(orgId, bucket, unit, window.first(), window.closed()) : List.of());
        buckets.addAll(jdbc.sql(LIVE)
                .param("bucket", bucket).param("org", orgId).param("since", Timestamp.from(since))
                .param("turnsFrom", Timestamp.from(window.liveFrom()))
                .query((rs, i) -> new CallStatistics.LatencyBucket(rs.getTimestamp("bucket").toInstant(),
                        rs.getLong("turns"), rs.getDouble("p50"), rs.getDouble("p90")))
                .list());
        buckets.removeIf(b -> b.turns() == 0);
        buckets.sort(Comparator.comparing(CallStatistics.LatencyBucket::start));
        return buckets;
    }

    /** The closed buckets from {@code from} to {@code to}, those without a row computed and stored first. */
    private List<CallStatistics.LatencyBucket> stored(UUID orgId, String bucket, ChronoUnit unit, Instant from, Instant to) {
        List<CallStatistics.LatencyBucket> rows = read(orgId, bucket, from, to);
        long expected = unit.between(from, to);
        if (rows.size() == expected) {
            return rows;
        }
        Instant missingFrom = from;
        for (CallStatistics.LatencyBucket row : rows) {
            if (!row.start().equals(missingFrom)) {
                break;
            }
            missingFrom = missingFrom.plus(1, unit);
        }
        Instant missingTo = to;
        for (int i = rows.size() - 1; i >= 0 && rows.get(i).start().equals(missingTo.minus(1, unit)); i--) {
            missingTo = missingTo.minus(1, unit);
        }
        Instant fillFrom = missingFrom;
        Instant fillTo = missingTo;
        return RollupWindow.fill(tx, jdbc, orgId, () -> {
            jdbc.sql(FILL).param("org", orgId).param("bucket", bucket)
                    .param("hours", (int) unit.getDuration().toHours())
                    .param("from", Timestamp.from(fillFrom)).param("to", Timestamp.from(fillTo)).update();
            return read(orgId, bucket, from, to);
        });
    }

    private List<CallStatistics.LatencyBucket> read(UUID orgId, String bucket, Instant from, Instant to) {
        return jdbc.sql(STORED).param("org", orgId).param("bucket", bucket)
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, i) -> new CallStatistics.LatencyBucket(rs.getTimestamp("bucket").toInstant(),
                        rs.getLong("turns"), rs.getDouble("p50_ms"), rs.getDouble("p90_ms")))
                .list();
    }
}
