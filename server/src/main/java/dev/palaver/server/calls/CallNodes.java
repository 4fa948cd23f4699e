package dev.palaver.server.calls;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;

/**
 * This node's identity among the nodes holding calls, its heartbeat, and the sweep that closes calls whose
 * node died. A call is held by the node that has its media; while a node lives it refreshes its row in
 * {@code call_nodes} every {@link #HEARTBEAT}. An open call whose node has not done so for {@link #STALE}
 * ends with end reason {@code node_lost}, at the time of its last event; its recording, if any, is
 * salvaged up to the last audio written. A node started with a fixed {@code palaver.node-id} also closes
 * its own earlier calls at once on startup: a process that just started holds none.
 */
@Component
class CallNodes {

    private static final Logger log = LoggerFactory.getLogger(CallNodes.class);
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    static final Duration STALE = Duration.ofSeconds(20);
    static final String NODE_LOST = "node_lost";
    /** Longer than any stream token lives: a call reserved this long ago can no longer get its media. */
    static final Duration MEDIA_TIMEOUT = Duration.ofMinutes(5);

    private final JdbcClient jdbc;
    private final Recordings recordings;
    private final CallMetrics metrics;
    private final String nodeId;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("palaver-call-nodes").factory());

    CallNodes(JdbcClient jdbc, Recordings recordings, CallMetrics metrics,
              @Value("${palaver.node-id:}") String configuredId) {
        this.jdbc = jdbc;
        this.recordings = recordings;
        this.metrics = metrics;
        boolean fixed = configuredId != null && !configuredId.isBlank();
        this.nodeId = fixed ? configuredId.strip() : "node-" + UUID.randomUUID();
        heartbeat();
        if (fixed) {
            sweep("node_id = ?", nodeId);
        }
        sweepStale();
        executor.scheduleWithFixedDelay(() -> {
            try {
                heartbeat();
                sweepStale();
                sweepUnconnected();
            } catch (RuntimeException e) {
                log.warn("Call node heartbeat or sweep failed: {}", e.toString());
            }
        }, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    String nodeId() {
        return nodeId;
    }

    private void heartbeat() {
        jdbc.sql("""
                insert into call_nodes (node_id, heartbeat_at) values (?, now())
                on conflict (node_id) do update set heartbeat_at = now()""").param(nodeId).update();
    }

    /** Closes open calls of nodes that stopped beating. */
    int sweepStale() {
        return sweep("""
                node_id <> ? and not exists (select 1 from call_nodes n where n.node_id = c.node_id
                   and n.heartbeat_at > now() - make_interval(secs => %d))""".formatted(STALE.toSeconds()), nodeId);
    }

    /**
     * Ends this node's calls whose media never connected within {@link #MEDIA_TIMEOUT} (no stream came and
     * no status callback said why), so they stop counting against the organization's limit.
     */
    int sweepUnconnected() {
        List<String> directions = jdbc.sql("""
                update calls set status = 'failed', end_reason = 'media_timeout', ended_at = now()
                 where node_id = ? and ended_at is null and answered_at is null
                   and started_at < now() - make_interval(secs => %d) returning direction"""
                        .formatted(MEDIA_TIMEOUT.toSeconds()))
                .param(nodeId).query(String.class).list();
        directions.forEach(d -> metrics.ended(CallDirection.fromWire(d), "media_timeout"));
        return directions.size();
    }

    private int sweep(String condition, String param) {
        record Orphan(UUID orgId, UUID id, CallDirection direction, String recordingStatus, String recordingKey) {
        }
        List<Orphan> orphans = jdbc.sql("""
                update calls c set
                       status = case when c.status in ('queued', 'ringing') then 'failed' else 'completed' end,
                       end_reason = 'node_lost',
                       ended_at = greatest(c.started_at, coalesce(
                           (select max(e.at) from call_events e where e.call_id = c.id), c.started_at))
                 where c.ended_at is null and """ + " " + condition + " " + """
                 returning c.org_id, c.id, c.direction, c.recording_status, c.recording_key, c.ended_at""")
                .param(param)
                .query((rs, n) -> new Orphan(rs.getObject("org_id", UUID.class), rs.getObject("id", UUID.class),
                        CallDirection.fromWire(rs.getString("direction")), rs.getString("recording_status"), rs.getString("recording_key")))
                .list();
        for (Orphan o : orphans) {
            jdbc.sql("""
                    insert into call_events (org_id, call_id, seq, type, at, offset_ms, payload)
                    select c.org_id, c.id, coalesce((select max(seq) from call_events where call_id = c.id), 0) + 1,
                           'ended', c.ended_at,
                           greatest(0, (extract(epoch from c.ended_at - coalesce(c.answered_at, c.started_at)) * 1000)::bigint),
                           '{"reason": "node_lost"}'::jsonb
                      from calls c where c.id = ?""").param(o.id()).update();
            if (o.recordingKey() != null && !"complete".equals(o.recordingStatus())) {
                recordings.salvage(o.orgId(), o.id(), o.recordingKey());
            }
            metrics.ended(o.direction(), NODE_LOST);
            log.info("Closed call {} of a lost node (end reason node_lost)", o.id());
        }
        return orphans.size();
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
