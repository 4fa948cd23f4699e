package dev.palaver.server.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.testing.SharedPalaverContext;

/**
 * The latency series with its rollup ({@link LatencySeries}, V14) against real PostgreSQL: always the figures of
 * the turn events themselves, computed here in Java (percentile_cont's linear interpolation), whether a bucket is
 * read from the rollup, filled on first need, still open, or changed after it was rolled up.
 */
class LatencyRollupTest extends SharedPalaverContext {

    /** One turn event: when, and its firstAudioOutMs (null: none, or not a number). */
    private record Turn(Instant at, Double ms) {
    }

    private JdbcClient jdbc() {
        return context.getBean(JdbcClient.class);
    }

    private LatencySeries series() {
        return context.getBean(LatencySeries.class);
    }

    private UUID call(UUID org, Instant started) {
        UUID id = Ids.newId();
        jdbc().sql("""
                insert into calls (org_id, id, direction, agent_id, agent_version, status, started_at, ended_at, node_id)
                values (?, ?, 'inbound', ?, 1, 'completed', ?, ?, 'node-x')""")
                .params(org, id, UUID.randomUUID(), Timestamp.from(started), Timestamp.from(started.plusSeconds(60)))
                .update();
        return id;
    }

    private void turn(UUID org, UUID call, int seq, Turn t, boolean asText) {
        String payload = t.ms() == null ? "{\"firstAudioOutMs\": null}"
                : asText ? "{\"firstAudioOutMs\": \"" + t.ms().longValue() + "\"}"
                : "{\"firstAudioOutMs\": " + t.ms().longValue() + "}";
        jdbc().sql("""
                insert into call_events (org_id, call_id, seq, type, at, offset_ms, payload)
                values (?, ?, ?, 'turn', ?, 0, ?::jsonb)""")
                .params(org, call, seq, Timestamp.from(t.at()), payload).update();
    }

    /** Writes {@code turns} as events of calls of {@code org}, ten a call; returns what the series must count. */
    private List<Turn> write(UUID org, List<Turn> turns, Random random) {
        List<Turn> counted = new ArrayList<>();
        UUID call = null;
        for (int i = 0; i < turns.size(); i++) {
            if (i % 10 == 0) {
                call = call(org, turns.get(i).at().minusSeconds(30));
            }
            boolean asText = turns.get(i).ms() != null && random.nextInt(50) == 0;
            turn(org, call, i % 10 + 1, turns.get(i), asText);
            if (turns.get(i).ms() != null && !asText) {
                counted.add(turns.get(i));
            }
        }
        return counted;
    }

    /** Random turns over the hours before {@code base} and a little after, many on and just before hour starts. */
    private static List<Turn> randomTurns(Random random, Instant base, int n) {
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant at = randomInstant(random, base, 60);
            Double ms = random.nextInt(20) == 0 ? null : (double) (100 + random.nextInt(random.nextBoolean() ? 50 : 2000));
            turns.add(new Turn(at, ms));
        }
        return turns;
    }

    /**
     * An instant within {@code hours} hours before {@code base} (or up to half an hour after): half of them exactly on
     * an hour's start or a microsecond before one, where buckets meet.
     */
    static Instant randomInstant(Random random, Instant base, int hours) {
        return switch (random.nextInt(4)) {
            case 0 -> base.minus(random.nextInt(hours), ChronoUnit.HOURS);
            case 1 -> base.minus(random.nextInt(hours), ChronoUnit.HOURS).minus(1, ChronoUnit.MICROS);
            default -> base.plusSeconds(1800).minusMillis((long) (random.nextDouble() * (hours + 2) * 3_600_000));
        };
    }

    /** The series computed here from the turns: percentile_cont as PostgreSQL defines it. */
    private static List<CallStatistics.LatencyBucket> expected(List<Turn> turns, Instant since, ChronoUnit unit) {
        TreeMap<Instant, List<Double>> buckets = new TreeMap<>();
        for (Turn t : turns) {
            if (!t.at().isBefore(since)) {
                buckets.computeIfAbsent(t.at().truncatedTo(unit), b -> new ArrayList<>()).add(t.ms());
            }
        }
        List<CallStatistics.LatencyBucket> out = new ArrayList<>();
        buckets.forEach((start, values) -> {
            values.sort(null);
            out.add(new CallStatistics.LatencyBucket(start, values.size(), percentile(values, 0.5), percentile(values, 0.9)));
        });
        return out;
    }

    private static double percentile(List<Double> sorted, double fraction) {
        double position = fraction * (sorted.size() - 1);
        int lower = (int) Math.floor(position);
        int upper = (int) Math.ceil(position);
        return sorted.get(lower) + (sorted.get(upper) - sorted.get(lower)) * (position - lower);
    }

    private static void assertSame(List<CallStatistics.LatencyBucket> actual, List<CallStatistics.LatencyBucket> expected,
                                   String as) {
        assertThat(actual).as(as).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            CallStatistics.LatencyBucket a = actual.get(i);
            CallStatistics.LatencyBucket e = expected.get(i);
            assertThat(a.start()).as(as + " bucket " + i).isEqualTo(e.start());
            assertThat(a.turns()).as(as + " turns of " + e.start()).isEqualTo(e.turns());
            assertThat(a.p50Ms()).as(as + " p50 of " + e.start()).isCloseTo(e.p50Ms(), within(1e-9));
            assertThat(a.p90Ms()).as(as + " p90 of " + e.start()).isCloseTo(e.p90Ms(), within(1e-9));
        }
    }

    private long rows(UUID org, String unit) {
        return jdbc().sql("select count(*) from call_latency_rollup where org_id = ? and unit = ?").params(org, unit)
                .query(Long.class).single();
    }

    @Test
    void theRollupAnswersAsTheTurnEventsDoAcrossHourBoundariesAndOrganizations() {
        Random random = new Random(20261125);
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS);
        UUID org = IdentityTestAccess.organization(context);
        UUID other = IdentityTestAccess.organization(context);
        List<Turn> ours = write(org, randomTurns(random, base, 1200), random);
        write(other, randomTurns(random, base, 400), random);

        for (int round = 0; round < 12; round++) {
            Instant now = base.plusSeconds(random.nextInt(3600));
            Instant since = round % 3 == 0 ? base.minus(1 + random.nextInt(50), ChronoUnit.HOURS)
                    : now.minusMillis((long) (random.nextDouble() * 60 * 3_600_000));
            for (ChronoUnit unit : List.of(ChronoUnit.HOURS, ChronoUnit.DAYS)) {
                String bucket = unit == ChronoUnit.HOURS ? "hour" : "day";
                List<CallStatistics.LatencyBucket> want = expected(ours, since, unit);
                String as = "round " + round + ", " + bucket + "s since " + since + " at " + now;
                assertSame(series().series(org, since, bucket, now), want, as + " (filling)");
                assertSame(series().series(org, since, bucket, now), want, as + " (from the rollup)");
            }
        }
        assertThat(rows(org, "hour")).isGreaterThan(40);
        assertThat(rows(org, "day")).isPositive();
        // Only closed buckets are kept: none ends later than the grace before the latest "now" (base + 1 h).
        Instant latestEnd = jdbc().sql("select max(bucket) from call_latency_rollup where org_id = ? and unit = 'hour'")
                .param(org).query(Timestamp.class).single().toInstant().plus(1, ChronoUnit.HOURS);
        assertThat(latestEnd).isBeforeOrEqualTo(base.plusSeconds(3600).minus(RollupWindow.GRACE));
        // The other organization's turns are never mixed in, and its own rollup is its own.
        assertThat(rows(other, "hour")).isZero();
        Instant since = base.minus(55, ChronoUnit.HOURS);
        List<CallStatistics.LatencyBucket> theirs = series().series(other, since, "hour", base.plusSeconds(900));
        assertThat(theirs.stream().mapToLong(CallStatistics.LatencyBucket::turns).sum())
                .isLessThan(ours.size() / 2);
        assertSame(series().series(org, since, "hour", base.plusSeconds(900)), expected(ours, since, ChronoUnit.HOURS),
                "ours after theirs");
    }

    @Test
    void closedBucketsAreStoredAndOpenOnesComputedLive() {
        Random random = new Random(7);
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS);
        UUID org = IdentityTestAccess.organization(context);
        List<Turn> turns = new ArrayList<>(write(org, List.of(
                new Turn(base.minus(2, ChronoUnit.HOURS).plusSeconds(60), 400.0),
                new Turn(base.minus(1, ChronoUnit.HOURS).plusSeconds(60), 500.0),
                new Turn(base.plusSeconds(60), 600.0)), random));
        Instant now = base.plus(RollupWindow.GRACE).minusSeconds(1);
        Instant since = base.minus(3, ChronoUnit.HOURS).plusSeconds(1);
        assertSame(series().series(org, since, "hour", now), expected(turns, since, ChronoUnit.HOURS), "first");
        // Within the grace the last hour is still open: only the one before is stored (the first is since's own).
        assertThat(jdbc().sql("select bucket from call_latency_rollup where org_id = ? and unit = 'hour'").param(org)
                .query(Timestamp.class).list()).extracting(Timestamp::toInstant)
                .containsExactly(base.minus(2, ChronoUnit.HOURS));
        // A turn written within the grace, into the hour still open, counts at once.
        turns.addAll(write(org, List.of(new Turn(base.minusSeconds(90), 900.0)), random));
        assertSame(series().series(org, since, "hour", now), expected(turns, since, ChronoUnit.HOURS), "late, in grace");
        assertThat(rows(org, "hour")).isEqualTo(1);
        // An hour without turns is stored as such, so it is not looked for again, and not shown.
        Instant later = base.plus(3, ChronoUnit.HOURS).plus(RollupWindow.GRACE);
        assertSame(series().series(org, since, "hour", later), expected(turns, since, ChronoUnit.HOURS), "later");
        assertThat(jdbc().sql("select count(*) from call_latency_rollup where org_id = ? and unit = 'hour' and turns = 0")
                .param(org).query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void turnsWrittenLateChangedOrDeletedAreCountedAgain() {
        Random random = new Random(11);
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS);
        UUID org = IdentityTestAccess.organization(context);
        Instant old = base.minus(5, ChronoUnit.HOURS).plusSeconds(600);
        List<Turn> turns = new ArrayList<>(write(org, List.of(new Turn(old, 100.0), new Turn(old.plusSeconds(5), 200.0),
                new Turn(old.plusSeconds(10), 300.0)), random));
        Instant since = base.minus(24, ChronoUnit.HOURS).plusSeconds(1);
        Instant now = base.plusSeconds(1800);
        assertSame(series().series(org, since, "hour", now), expected(turns, since, ChronoUnit.HOURS), "rolled up");
        assertSame(series().series(org, since, "day", now), expected(turns, since, ChronoUnit.DAYS), "rolled up by day");

        // A turn that reaches the database long after its time (a node's clock behind, a backlog).
        UUID lateCall = call(org, old.minusSeconds(30));
        Turn late = new Turn(old.plusSeconds(20), 1000.0);
        turn(org, lateCall, 1, late, false);
        turns.add(late);
        assertSame(series().series(org, since, "hour", now), expected(turns, since, ChronoUnit.HOURS), "late turn");
        assertSame(series().series(org, since, "day", now), expected(turns, since, ChronoUnit.DAYS), "late turn by day");

        jdbc().sql("update call_events set payload = '{\"firstAudioOutMs\": 5000}'::jsonb where call_id = ?")
                .param(lateCall).update();
        turns.remove(late);
        turns.add(new Turn(late.at(), 5000.0));
        assertSame(series().series(org, since, "hour", now), expected(turns, since, ChronoUnit.HOURS), "changed turn");

        // Deleting a call (erasure, retention) takes its turns out of the rolled-up hour.
        jdbc().sql("delete from calls where org_id = ? and id = ?").params(org, lateCall).update();
        turns.removeIf(t -> t.at().equals(late.at()));
        assertSame(series().series(org, since, "hour", now), expected(turns, since, ChronoUnit.HOURS), "deleted call");
        assertSame(series().series(org, since, "day", now), expected(turns, since, ChronoUnit.DAYS), "deleted call by day");
        assertThat(rows(org, "hour")).isPositive();

        // Deleting the organization deletes its rollup.
        jdbc().sql("delete from organizations where id = ?").param(org).update();
        assertThat(rows(org, "hour") + rows(org, "day")).isZero();
    }

    @Test
    void fillingAndForgettingWaitForTheOrganizationsLock() throws Exception {
        Random random = new Random(5);
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS);
        UUID org = IdentityTestAccess.organization(context);
        Instant old = base.minus(5, ChronoUnit.HOURS).plusSeconds(600);
        List<Turn> turns = new ArrayList<>(write(org, List.of(new Turn(old, 100.0), new Turn(old.plusSeconds(5), 300.0)),
                random));
        Instant since = base.minus(24, ChronoUnit.HOURS).plusSeconds(1);
        Instant now = base.plusSeconds(1800);
        UUID lateCall = call(org, old.minusSeconds(30));
        Turn late = new Turn(old.plusSeconds(20), 1000.0);
        TransactionTemplate tx = context.getBean(TransactionTemplate.class);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Threads of their own: the common pool may have a single thread on a small machine.
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> tx.executeWithoutResult(t -> {
            jdbc().sql("select 1 from (select call_rollups_lock(?)) locked").param(org).query(Integer.class).single();
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), threads);
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<List<CallStatistics.LatencyBucket>> filling =
                CompletableFuture.supplyAsync(() -> series().series(org, since, "hour", now), threads);
        CompletableFuture<Void> forgetting = CompletableFuture.runAsync(() -> turn(org, lateCall, 1, late, false), threads);
        Thread.sleep(500);
        assertThat(filling).as("a fill waits for the lock").isNotDone();
        assertThat(forgetting).as("a late turn's trigger waits for the lock").isNotDone();
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        forgetting.get(10, TimeUnit.SECONDS);
        filling.get(10, TimeUnit.SECONDS);
        threads.close();
        turns.add(late);
        assertSame(series().series(org, since, "hour", now), expected(turns, since, ChronoUnit.HOURS), "after both");
    }
}
