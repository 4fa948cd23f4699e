package dev.palaver.server.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.identity.ApiKeys;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.identity.Scopes;
import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

/** {@code /api/v1/calls/stats} and {@code /stats/series}: figures of the caller's organization only, bad parameters refused. */
class CallStatsApiTest extends SharedPalaverContext {

    private JsonNode get(String path, String credential) {
        HttpResponse<String> got = http.get(path, "Authorization", "Bearer " + credential);
        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        return Http.json(got);
    }

    private UUID finished(UUID org, UUID agent, boolean withError, long... firstAudioOutMs) {
        return CallsTestAccess.finishedCall(context, org, agent, new CallsTestAccess.Script("+14155550123",
                "Hello?", "Hi there.", false, firstAudioOutMs, withError));
    }

    /** A failed call of two days ago, with no events. */
    private void oldFailedCall(UUID org, UUID agent) {
        Instant started = Instant.now().minus(2, ChronoUnit.DAYS);
        context.getBean(JdbcClient.class).sql("""
                insert into calls (org_id, id, direction, from_number, to_number, agent_id, agent_version, status,
                                   started_at, answered_at, ended_at, node_id)
                values (?, ?, 'inbound', '+14155550124', '+14155559999', ?, 1, 'failed', ?, ?, ?, 'node-x')""")
                .params(org, Ids.newId(), agent, Timestamp.from(started), Timestamp.from(started),
                        Timestamp.from(started.plusSeconds(3))).update();
    }

    @Test
    void kpisAndSeriesCountTheOrganizationsOwnCalls() {
        UUID org = IdentityTestAccess.organization(context);
        UUID agent = UUID.randomUUID();
        UUID first = finished(org, agent, true, 100, 300);
        // A turn without a measured first audio (the agent never spoke) has no latency to count.
        context.getBean(JdbcClient.class).sql("""
                insert into call_events (org_id, call_id, seq, type, at, offset_ms, payload)
                values (?, ?, 100, 'turn', now(), 0, '{"turn": 9, "firstAudioOutMs": null}'::jsonb)""")
                .params(org, first).update();
        finished(org, agent, false, 200, 400);
        oldFailedCall(org, agent);
        UUID other = IdentityTestAccess.organization(context);
        finished(other, agent, true, 5000, 6000, 7000);
        finished(other, agent, true, 8000);
        String viewer = IdentityTestAccess.tokenFor(context, org, Role.VIEWER);

        JsonNode today = get("/api/v1/calls/stats", viewer);
        assertThat(today.path("from").asString()).isEqualTo(Instant.now().truncatedTo(ChronoUnit.DAYS).toString());
        assertThat(today.path("calls").asLong()).isEqualTo(2);
        assertThat(today.path("open").asLong()).isZero();
        assertThat(today.path("failed").asLong()).isZero();
        assertThat(today.path("errors").asLong()).isEqualTo(1);
        assertThat(today.path("averageSeconds").asDouble()).isCloseTo(7.0, within(1.0));

        Instant threeDaysAgo = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        JsonNode week = get("/api/v1/calls/stats?from=" + threeDaysAgo, viewer);
        assertThat(week.path("calls").asLong()).isEqualTo(3);
        assertThat(week.path("failed").asLong()).isEqualTo(1);

        JsonNode series = get("/api/v1/calls/stats/series?hours=24", viewer);
        assertThat(series.path("hours").asInt()).isEqualTo(24);
        assertThat(series.path("bucket").asString()).isEqualTo("hour");
        long turns = 0;
        for (JsonNode b : series.path("buckets")) {
            turns += b.path("turns").asLong();
        }
        assertThat(turns).isEqualTo(4);
        JsonNode byDay = get("/api/v1/calls/stats/series?hours=48&bucket=day", viewer);
        List<JsonNode> days = new ArrayList<>();
        byDay.path("buckets").forEach(days::add);
        if (days.size() == 1) {
            assertThat(days.getFirst().path("turns").asLong()).isEqualTo(4);
            assertThat(days.getFirst().path("p50Ms").asDouble()).isEqualTo(250.0);
            assertThat(days.getFirst().path("p90Ms").asDouble()).isCloseTo(370.0, within(0.001));
        } else {
            assertThat(days).hasSize(2);
            assertThat(days.get(0).path("turns").asLong() + days.get(1).path("turns").asLong()).isEqualTo(4);
        }

        String key = context.getBean(ApiKeys.class).create(Caller.member(org,
                IdentityTestAccess.member(context, org, Role.OWNER).userId(), Role.OWNER, null),
                "stats", List.of(Scopes.CALLS_READ), null).secret();
        assertThat(get("/api/v1/calls/stats", key).path("calls").asLong()).isEqualTo(2);
        assertThat(get("/api/v1/calls/stats/series", key).path("buckets")).isNotEmpty();

        String otherViewer = IdentityTestAccess.tokenFor(context, other, Role.VIEWER);
        JsonNode theirs = get("/api/v1/calls/stats", otherViewer);
        assertThat(theirs.path("calls").asLong()).isEqualTo(2);
        assertThat(theirs.path("errors").asLong()).isEqualTo(2);
        JsonNode theirDays = get("/api/v1/calls/stats/series?hours=48&bucket=day", otherViewer);
        long theirTurns = 0;
        for (JsonNode b : theirDays.path("buckets")) {
            theirTurns += b.path("turns").asLong();
            assertThat(b.path("p50Ms").asDouble()).isGreaterThanOrEqualTo(5000.0);
        }
        assertThat(theirTurns).isEqualTo(4);
    }

    @Test
    void badParametersAreProblems() {
        UUID org = IdentityTestAccess.organization(context);
        String viewer = IdentityTestAccess.tokenFor(context, org, Role.VIEWER);
        for (String path : List.of("/api/v1/calls/stats?from=yesterday",
                "/api/v1/calls/stats?from=" + Instant.now().plus(1, ChronoUnit.DAYS),
                "/api/v1/calls/stats/series?hours=0", "/api/v1/calls/stats/series?hours=721",
                "/api/v1/calls/stats/series?hours=ten", "/api/v1/calls/stats/series?bucket=week")) {
            HttpResponse<String> got = http.get(path, "Authorization", "Bearer " + viewer);
            assertThat(got.statusCode()).as(path).isEqualTo(400);
            assertThat(Http.mediaType(got)).isEqualTo("application/problem+json");
            assertThat(Http.json(got).path("code").asString()).as(path).isEqualTo("bad_request");
        }
        assertThat(http.get("/api/v1/calls/stats").statusCode()).isEqualTo(401);
    }

    @Test
    void theLatencySeriesReadsTurnsThroughTheirIndex() {
        Instant since = Instant.now().minus(24, ChronoUnit.HOURS);
        String plan = plan(CallStatistics.LATENCY, Map.of("bucket", "hour", "org", UUID.randomUUID(),
                "since", Timestamp.from(since), "turnsFrom", Timestamp.from(since.minusSeconds(300))));
        // Scanned by organization and time, not read whole (which a partial index also allows).
        assertThat(plan).containsPattern("call_events_turns_org_at[^\\n]*\\n\\s+Index Cond: \\(\\(org_id = [^\\n]*AND \\(at >= ");
    }

    @Test
    void theErrorCountReadsErrorsThroughTheirIndex() {
        Instant since = Instant.now().minus(24, ChronoUnit.HOURS);
        String plan = plan(CallStatistics.ERRORS, Map.of("org", UUID.randomUUID(), "since", Timestamp.from(since),
                "eventsFrom", Timestamp.from(since.minusSeconds(300))));
        assertThat(plan).containsPattern("call_events_errors_org_at[^\\n]*\\n\\s+Index Cond: \\(\\(org_id = [^\\n]*AND \\(at >= ");
    }

    /**
     * The plan PostgreSQL chooses for {@code sql}. A test table is tiny, so the planner would rightly scan it;
     * what matters is that the statement lets the partial index serve it (at a million calls the alternative
     * is every call's events).
     */
    private String plan(String sql, Map<String, Object> params) {
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        return context.getBean(TransactionTemplate.class).execute(t -> {
            jdbc.sql("set local enable_seqscan = off").update();
            return String.join("\n", jdbc.sql("explain " + sql).params(params).query(String.class).list());
        });
    }
}
