package dev.palaver.server.calls;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How a request from {@code since} splits into buckets of {@code unit} (UTC) for the rollups of V14: the buckets
 * from {@code first} to {@code closed} are closed and come from a rollup table; the turns or calls from
 * {@code since} to {@code first} (the rest of since's own bucket) and from {@code liveFrom} on are read as they are.
 */
record RollupWindow(Instant since, Instant first, Instant closed, Instant liveFrom) {

    /**
     * A bucket is closed once its end lies this far in the past: late journal writes (seconds, retries included)
     * plus the five minutes' margin for clocks of nodes that disagree.
     */
    static final Duration GRACE = Duration.ofMinutes(7);

    static RollupWindow of(Instant since, ChronoUnit unit, Instant now) {
        Instant first = since.truncatedTo(unit).plus(1, unit);
        Instant closed = now.minus(GRACE).truncatedTo(unit);
        return new RollupWindow(since, first, closed, closed.isAfter(first) ? closed : first);
    }

    /**
     * Runs {@code fillAndRead} (inserts of the missing rows, then the read of them) in a transaction holding the
     * organization's rollup lock, which V14's triggers take before they forget rows: the fill's snapshot is never
     * older than a change that forgot a row, and no row is forgotten between the fill and the read.
     */
    static <T> T fill(TransactionTemplate tx, JdbcClient jdbc, UUID orgId, Supplier<T> fillAndRead) {
        return tx.execute(t -> {
            jdbc.sql("select 1 from (select call_rollups_lock(?)) locked").param(orgId).query(Integer.class).single();
            return fillAndRead.get();
        });
    }

    /** Whether any bucket is closed (else everything is read live). */
    boolean rolls() {
        return closed.isAfter(first);
    }
}
