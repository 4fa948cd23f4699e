package dev.palaver.server.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.testing.SharedPalaverContext;

/**
 * The KPIs with their hourly rollup ({@link CallCounts}, V14) against real PostgreSQL: always exactly the figures of
 * one query over the calls (the statement the overview ran before the rollup), whether an hour is read from the
 * rollup, filled on first need, still open, or its calls changed after it was rolled up.
 */
class CallCountsRollupTest extends SharedPalaverContext {

    /** The figures from the calls themselves, as the overview computed them before the rollup. */
    private static final String RAW = """
            select count(*) as calls, count(*) filter (where ended_at is null) as open,
                   count(*) filter (where status = 'failed') as failed,
                   avg(extract(epoch from ended_at - coalesce(answered_at, started_at)))
                       filter (where ended_at is not null)::double precision as avg_seconds
            from calls where org_id = ? and started_at >= ?""";

    private JdbcClient jdbc() {
        return context.getBean(JdbcClient.class);
    }

    private CallCounts counts() {
        return context.getBean(CallCounts.class);
    }

    private CallCounts.Figures raw(UUID org, Instant since) {
        return jdbc().sql(RAW).params(org, Timestamp.from(since))
                .query((rs, i) -> new CallCounts.Figures(rs.getLong("calls"), rs.getLong("open"), rs.getLong("failed"),
                        (Double) rs.getObject("avg_seconds", Double.class)))
                .single();
    }

    /**
     * A call started at {@code started}: open when {@code micros} is negative, unanswered or failed as asked. Its node
     * says it is alive for a day, so the sweep of lost nodes' calls leaves the open ones open.
     */
    private UUID call(UUID org, Instant started, long micros, boolean answered, boolean failed) {
        jdbc().sql("""
                insert into call_nodes (node_id, heartbeat_at) values ('rollup-test-node', now() + interval '1 day')
                on conflict (node_id) do update set heartbeat_at = excluded.heartbeat_at""").update();
        UUID id = Ids.newId();
        Instant ended = micros < 0 ? null : started.plus(micros, ChronoUnit.MICROS);
        jdbc().sql("""
                insert into calls (org_id, id, direction, agent_id, agent_version, status, started_at, answered_at,
                                   ended_at, node_id)
                values (?, ?, 'inbound', ?, 1, ?, ?, ?, ?, 'rollup-test-node')""")
                .params(org, id, UUID.randomUUID(), ended == null ? "in_progress" : failed ? "failed" : "completed",
                        Timestamp.from(started), answered ? Timestamp.from(started.plusMillis(1500)) : null,
                        ended == null ? null : Timestamp.from(ended))
                .update();
        return id;
    }

    private List<UUID> randomCalls(UUID org, Random random, Instant base, int n) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant started = LatencyRollupTest.randomInstant(random, base, 50);
            long micros = random.nextInt(15) == 0 ? -1 : 2_000_000L + (long) (random.nextDouble() * 900_000_000L);
            ids.add(call(org, started, micros, random.nextInt(5) != 0, random.nextInt(8) == 0));
        }
        return ids;
    }

    private long rows(UUID org) {
        return jdbc().sql("select count(*) from call_counts_hourly where org_id = ?").param(org).query(Long.class).single();
    }

    /** An hour before the current one: every "now" of these tests is in the past, so the triggers see late changes. */
    private static Instant base() {
        return Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
    }

    @Test
    void theRollupGivesTheFiguresOfTheCallsThemselvesAcrossHourBoundariesAndOrganizations() {
        Random random = new Random(20261125);
        Instant base = base();
        UUID org = IdentityTestAccess.organization(context);
        UUID other = IdentityTestAccess.organization(context);
        randomCalls(org, random, base, 900);
        randomCalls(other, random, base, 300);
        for (int round = 0; round < 16; round++) {
            Instant now = base.plusSeconds(random.nextInt(3600));
            Instant since = round % 4 == 0 ? base.minus(1 + random.nextInt(48), ChronoUnit.HOURS)
                    : now.minusMillis((long) (random.nextDouble() * 50 * 3_600_000));
            CallCounts.Figures want = raw(org, since);
            assertThat(counts().figures(org, since, now)).as("round %d (filling), since %s at %s", round, since, now)
                    .isEqualTo(want);
            assertThat(counts().figures(org, since, now)).as("round %d (rollup), since %s at %s", round, since, now)
                    .isEqualTo(want);
        }
        assertThat(rows(org)).isGreaterThan(40);
        Instant latest = jdbc().sql("select max(hour) from call_counts_hourly where org_id = ?").param(org)
                .query(Timestamp.class).single().toInstant();
        assertThat(latest.plus(1, ChronoUnit.HOURS)).isBeforeOrEqualTo(base.plusSeconds(3600).minus(RollupWindow.GRACE));
        assertThat(rows(other)).isZero();
        Instant since = base.minus(49, ChronoUnit.HOURS);
        assertThat(counts().figures(other, since, base.plusSeconds(900))).isEqualTo(raw(other, since));
        assertThat(counts().figures(org, since, base.plusSeconds(900))).isEqualTo(raw(org, since));
    }

    @Test
    void callsThatChangeAfterTheirHourClosedAreCountedAgain() {
        Random random = new Random(3);
        Instant base = base();
        UUID org = IdentityTestAccess.organization(context);
        randomCalls(org, random, base, 60);
        Instant old = base.minus(5, ChronoUnit.HOURS).plusSeconds(120);
        UUID longCall = call(org, old, -1, true, false);
        Instant since = base.minus(24, ChronoUnit.HOURS).plusSeconds(1);
        Instant now = base.plusSeconds(1800);
        CallCounts.Figures before = counts().figures(org, since, now);
        assertThat(before).isEqualTo(raw(org, since));
        assertThat(jdbc().sql("select count(*) from call_counts_hourly where org_id = ? and hour = ?")
                .params(org, Timestamp.from(old.truncatedTo(ChronoUnit.HOURS))).query(Long.class).single()).isOne();

        // A call longer than its hour's grace ends (failed): the hour's row is forgotten and computed again.
        jdbc().sql("update calls set status = 'failed', ended_at = started_at + interval '3 hours 7.25 seconds' where id = ?")
                .param(longCall).update();
        CallCounts.Figures ended = counts().figures(org, since, now);
        assertThat(ended).isEqualTo(raw(org, since));
        assertThat(ended.open()).isEqualTo(before.open() - 1);
        assertThat(ended.failed()).isEqualTo(before.failed() + 1);

        // A call imported with an earlier start.
        call(org, old.plusSeconds(60), 42_000_000, true, false);
        assertThat(counts().figures(org, since, now)).isEqualTo(raw(org, since)).isNotEqualTo(ended);

        // Updates of other columns (a recording) forget nothing.
        long rows = rows(org);
        jdbc().sql("update calls set recording_status = 'complete' where org_id = ?").param(org).update();
        assertThat(rows(org)).isEqualTo(rows);

        // A deleted call (erasure, retention).
        jdbc().sql("delete from calls where org_id = ? and id = ?").params(org, longCall).update();
        assertThat(counts().figures(org, since, now)).isEqualTo(raw(org, since));

        jdbc().sql("delete from organizations where id = ?").param(org).update();
        assertThat(rows(org)).isZero();
    }
}
