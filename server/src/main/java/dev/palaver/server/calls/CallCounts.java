package dev.palaver.server.calls;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The calls started since an instant in figures (how many, open, failed, average duration of the ended ones), at
 * any number of calls: the closed hours' figures come from {@code call_counts_hourly} (one row an hour, computed
 * from the calls the first time a request needs the hour, then kept), the rest of since's own hour and the hours
 * not yet closed from the calls themselves ({@link RollupWindow}); the open calls are always counted as they are
 * ({@code calls_open}). The sums are exact (seconds as numeric), so the figures are those of one query over the
 * calls. V14's triggers forget an hour whose calls change after it closed (a long call ending, an import, a
 * deletion).
 */
@Component
class CallCounts {

    /** The figures: {@code hours} is how many closed hours the rollup held (all of them, or some are missing). */
    static final String FIGURES = """
            with stored as (
                     select count(*) as hours, coalesce(sum(calls), 0) as calls, coalesce(sum(failed), 0) as failed,
                            coalesce(sum(ended), 0) as ended, coalesce(sum(ended_seconds), 0) as seconds
                     from call_counts_hourly where org_id = :org and hour >= :first and hour < :closed),
                 live as (
                     select count(*) as calls, count(*) filter (where status = 'failed') as failed,
                            count(ended_at) as ended,
                            coalesce(sum(extract(epoch from ended_at - coalesce(answered_at, started_at))), 0) as seconds
                     from calls
                     where org_id = :org
                       and (started_at >= :since and started_at < :first or started_at >= :liveFrom))
            select s.hours, s.calls + l.calls as calls, s.failed + l.failed as failed,
                   ((s.seconds + l.seconds) / nullif(s.ended + l.ended, 0))::double precision as avg_seconds,
                   (select count(*) from calls where org_id = :org and ended_at is null and started_at >= :since) as open
            from stored s, live l""";

    /** Computes and stores the closed hours from {@code from} to {@code to} that have no row, each from its own calls. */
    static final String FILL = """
            insert into call_counts_hourly (org_id, hour, calls, failed, ended, ended_seconds)
            select :org, h.hour, c.calls, c.failed, c.ended, c.seconds
            from generate_series(cast(:from as timestamptz), cast(:to as timestamptz) - interval '1 hour',
                                 interval '1 hour') h (hour)
            cross join lateral (
                select count(*) as calls, count(*) filter (where status = 'failed') as failed,
                       count(ended_at) as ended,
                       coalesce(sum(extract(epoch from ended_at - coalesce(answered_at, started_at))), 0) as seconds
                from calls where org_id = :org and started_at >= h.hour and started_at < h.hour + interval '1 hour') c
            where not exists (select 1 from call_counts_hourly s where s.org_id = :org and s.hour = h.hour)
            on conflict do nothing""";

    /** Calls started since {@code since}: how many, still open, failed; the ended ones' average seconds. */
    record Figures(long calls, long open, long failed, Double averageSeconds) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    CallCounts(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    Figures figures(UUID orgId, Instant since, Instant now) {
        RollupWindow window = RollupWindow.of(since, ChronoUnit.HOURS, now);
        long closedHours = window.rolls() ? ChronoUnit.HOURS.between(window.first(), window.closed()) : 0;
        Read got = read(orgId, window);
        if (got.hours() == closedHours) {
            return got.figures();
        }
        return RollupWindow.fill(tx, jdbc, orgId, () -> {
            jdbc.sql(FILL).param("org", orgId)
                    .param("from", Timestamp.from(window.first())).param("to", Timestamp.from(window.closed())).update();
            return read(orgId, window).figures();
        });
    }

    private record Read(long hours, Figures figures) {
    }

    private Read read(UUID orgId, RollupWindow window) {
        return jdbc.sql(FIGURES).param("org", orgId)
                .param("since", Timestamp.from(window.since())).param("first", Timestamp.from(window.first()))
                .param("closed", Timestamp.from(window.closed())).param("liveFrom", Timestamp.from(window.liveFrom()))
                .query((rs, i) -> new Read(rs.getLong("hours"), new Figures(rs.getLong("calls"), rs.getLong("open"),
                        rs.getLong("failed"), (Double) rs.getObject("avg_seconds", Double.class))))
                .single();
    }
}
