package dev.palaver.bench.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The overview page's figures as the dashboard would read them from the {@code calls} tables: today's KPIs
 * (calls, average duration, errors) in one statement, and the last 24 hours of turn latency (p50 and p90 of
 * the first-audio-out time, per hour). The dashboard's own queries are not written yet; these are the SQL it
 * needs, each filtered by organization.
 */
final class DashboardQueries {

    static final String KPIS = """
            select count(*) as calls,
                   avg(extract(epoch from ended_at - started_at)) filter (where ended_at is not null) as avg_seconds,
                   count(*) filter (where status = 'failed') as errors
              from calls
             where org_id = ? and started_at >= ?""";

    /** The latency is taken out of the payload before the sort ({@code offset 0} keeps the subquery apart), so
     * the sort carries two small columns instead of whole event rows and stays in memory. */
    static final String TURN_LATENCY_SERIES = """
            select hour,
                   percentile_cont(0.5) within group (order by ms) as p50,
                   percentile_cont(0.9) within group (order by ms) as p90,
                   count(*) as turns
              from (select date_trunc('hour', at) as hour, (payload ->> 'firstAudioOutMs')::int as ms
                      from call_events
                     where org_id = ? and type = 'turn' and at >= ?
                    offset 0) turns
             group by hour
             order by hour""";

    private DashboardQueries() {
    }

    /** Today's KPIs (UTC day); returns the number of calls today. */
    static long kpis(Connection db, UUID org) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(KPIS)) {
            p.setObject(1, org);
            p.setObject(2, Instant.now().truncatedTo(ChronoUnit.DAYS).atOffset(ZoneOffset.UTC));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Hourly turn latency over the last 24 hours; returns the number of buckets. */
    static int series(Connection db, UUID org) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(TURN_LATENCY_SERIES)) {
            p.setObject(1, org);
            p.setObject(2, Instant.now().minus(24, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC));
            int buckets = 0;
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    buckets++;
                }
            }
            return buckets;
        }
    }

    /** The plan PostgreSQL chooses for a query with these parameters (for the report). */
    static String explain(Connection db, String sql, UUID org, Instant since) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement p = db.prepareStatement("explain (analyze, buffers) " + sql)) {
            p.setObject(1, org);
            p.setObject(2, since.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }
}
