package dev.palaver.bench.api;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Seeds the {@code calls} schema in SQL ({@code generate_series}, one statement per table): {@code calls} rows
 * evenly over the last 90 days, inserted oldest first as a live system writes them, across the benchmark
 * organization (half of them) and {@value #OTHER_ORGS} others,
 * five agents each, 2 % failed; and {@value #TURNS_PER_CALL} {@code turn} events per call with per-turn latency
 * in the payload, as the call runtime writes them. Agents are ids only: {@code calls.agent_id} has no foreign key.
 */
final class CallSeed {

    static final int OTHER_ORGS = 9;
    static final int TURNS_PER_CALL = 3;
    static final String NODE = "bench-seed";

    private CallSeed() {
    }

    /** Inserts {@code total} calls; returns the benchmark organization's five agent ids. */
    static UUID[] seed(Connection db, UUID benchOrg, int total, PrintStream out) throws SQLException {
        UUID[] agents = new UUID[5];
        for (int i = 0; i < agents.length; i++) {
            agents[i] = UUID.randomUUID();
        }
        db.setAutoCommit(false);
        try (Statement s = db.createStatement()) {
            s.execute("set local synchronous_commit = off");
            s.executeUpdate("insert into organizations (id, name) select gen_random_uuid(), 'Benchmark org ' || g"
                    + " from generate_series(1, " + OTHER_ORGS + ") g");
        }
        long t0 = System.nanoTime();
        try (PreparedStatement p = db.prepareStatement("""
                with orgs as (select array_agg(id order by id) ids from organizations where name like 'Benchmark org %'),
                     seed as (select g, now() - interval '90 days' * ((?::float8 - g) / ?::float8) as started,
                                     30 + (random() * 570)::int as seconds from generate_series(1, ?) g)
                insert into calls (org_id, id, direction, from_number, to_number, agent_id, agent_version, status,
                                   end_reason, started_at, answered_at, ended_at, node_id)
                select case when g % 2 = 0 then ?::uuid else orgs.ids[1 + (g / 2) % array_length(orgs.ids, 1)] end,
                       gen_random_uuid(),
                       (array['inbound', 'inbound', 'inbound', 'outbound', 'web'])[1 + g % 5],
                       '+1555' || lpad(((g::bigint * 7919) % 10000)::text, 7, '0'),
                       '+14155550123',
                       (?::uuid[])[1 + (g / 7) % 5],
                       1,
                       case when g % 50 = 0 then 'failed' else 'completed' end,
                       case when g % 50 = 0 then 'provider_error' else 'caller_hung_up' end,
                       started, started + interval '2 seconds', started + make_interval(secs => seconds),
                       ?
                  from seed, orgs""")) {
            p.setInt(1, total);
            p.setInt(2, total);
            p.setInt(3, total);
            p.setObject(4, benchOrg);
            p.setArray(5, db.createArrayOf("uuid", agents));
            p.setString(6, NODE);
            p.executeUpdate();
        }
        db.commit();
        out.printf("  %,d calls in %.0f s%n", total, (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        try (Statement s = db.createStatement()) {
            s.execute("set local synchronous_commit = off");
            s.executeUpdate("""
                    insert into call_events (org_id, call_id, seq, type, at, offset_ms, payload)
                    select c.org_id, c.id, k, 'turn', c.started_at + make_interval(secs => 10 * k), 10000 * k,
                           jsonb_build_object('turn', k, 'endpointingDelayMs', 500, 'sttFinalLatencyMs', 150,
                                              'llmTimeToFirstTokenMs', 250 + (random() * 300)::int,
                                              'ttsTimeToFirstByteMs', 120 + (random() * 100)::int,
                                              'firstAudioOutMs', 900 + (random() * 600)::int,
                                              'platformOverheadMs', 2 + (random() * 10)::int)
                      from calls c, generate_series(1, %d) k
                     where c.node_id = '%s'""".formatted(TURNS_PER_CALL, NODE));
        }
        db.commit();
        out.printf("  %,d turn events in %.0f s%n", (long) total * TURNS_PER_CALL, (System.nanoTime() - t0) / 1e9);
        db.setAutoCommit(true);
        // As autovacuum would have by now on a live system: hint bits set, visibility map and statistics current;
        // and, as on a live system, the seeding's writes long since checkpointed: otherwise the checkpointer
        // writes and fsyncs gigabytes of them during the measurement, and the requests wait on the disk.
        try (Statement s = db.createStatement()) {
            s.execute("vacuum (analyze) calls, call_events");
            s.execute("checkpoint");
        }
        return agents;
    }
}
