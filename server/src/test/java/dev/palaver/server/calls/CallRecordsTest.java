package dev.palaver.server.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

/** Listing with filters and cursors, tenant isolation, the concurrent-call limit, and the lost-node sweep. */
class CallRecordsTest extends SharedPalaverContext {

    private UUID insertCall(UUID org, UUID agent, String direction, String from, String to, String status,
                            Instant startedAt, String nodeId, boolean ended) {
        UUID id = Ids.newId();
        context.getBean(JdbcClient.class).sql("""
                insert into calls (org_id, id, direction, from_number, to_number, agent_id, agent_version, status,
                                   started_at, answered_at, ended_at, node_id)
                values (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)""")
                .params(org, id, direction, from, to, agent, status, Timestamp.from(startedAt),
                        Timestamp.from(startedAt), ended ? Timestamp.from(startedAt.plusSeconds(30)) : null, nodeId)
                .update();
        return id;
    }

    /** This node: its open calls are never swept, so they stay open while a test looks at them. */
    private String liveNode() {
        return context.getBean(CallRuntime.class).nodeId();
    }

    private JsonNode list(String token, String query) {
        HttpResponse<String> got = http.get("/api/v1/calls" + query, "Authorization", "Bearer " + token);
        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        return Http.json(got);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(i -> ids.add(i.path("id").asString()));
        return ids;
    }

    @Test
    void listsNewestFirstWithFiltersAndCursorsWithinTheOrganization() {
        UUID org = IdentityTestAccess.organization(context);
        String token = IdentityTestAccess.tokenFor(context, org, Role.VIEWER);
        UUID agentA = UUID.randomUUID();
        UUID agentB = UUID.randomUUID();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(3600);
        List<UUID> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            all.add(insertCall(org, i % 2 == 0 ? agentA : agentB, i % 3 == 0 ? "outbound" : "inbound",
                    "+1415555000" + i, "+14155559999", i == 6 ? "in_progress" : "completed", t0.plusSeconds(i * 60L),
                    liveNode(), i != 6));
        }
        UUID otherOrg = IdentityTestAccess.organization(context);
        UUID foreign = insertCall(otherOrg, agentA, "inbound", "+14155550001", "+14155559999", "completed", t0,
                "node-x", true);

        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = list(token, "?limit=3" + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
            order.addAll(ids(page));
            seen.addAll(ids(page));
            cursor = page.path("nextCursor").isString() ? page.path("nextCursor").asString() : "";
            pages++;
        } while (!cursor.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(order).hasSize(7).doesNotHaveDuplicates()
                .isEqualTo(all.reversed().stream().map(UUID::toString).toList());
        assertThat(seen).doesNotContain(foreign.toString());

        assertThat(ids(list(token, "?agentId=" + agentA))).hasSize(4);
        assertThat(ids(list(token, "?direction=outbound"))).hasSize(3);
        assertThat(ids(list(token, "?status=in_progress"))).containsExactly(all.get(6).toString());
        assertThat(ids(list(token, "?number=%2B14155550002"))).containsExactly(all.get(2).toString());
        assertThat(ids(list(token, "?number=%2B14155559999"))).hasSize(7);
        assertThat(ids(list(token, "?startedFrom=" + t0.plusSeconds(120) + "&startedTo=" + t0.plusSeconds(240))))
                .containsExactly(all.get(3).toString(), all.get(2).toString());

        HttpResponse<String> badStatus = http.get("/api/v1/calls?status=talking", "Authorization", "Bearer " + token);
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(Http.json(badStatus).path("code").asString()).isEqualTo("bad_request");
        assertThat(http.get("/api/v1/calls?startedFrom=yesterday", "Authorization", "Bearer " + token).statusCode())
                .isEqualTo(400);
        HttpResponse<String> notOurs = http.get("/api/v1/calls/" + foreign, "Authorization", "Bearer " + token);
        assertThat(notOurs.statusCode()).isEqualTo(404);
        assertThat(http.get("/api/v1/calls/" + foreign + "/recording", "Authorization", "Bearer " + token)
                .statusCode()).isEqualTo(404);
        String member = IdentityTestAccess.tokenFor(context, org, Role.MEMBER);
        assertThat(http.postJson("/api/v1/calls/" + foreign + "/hangup", "{}", "Authorization", "Bearer " + member)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void theListingUsesAnIndexInStartOrder() {
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        // A test table is tiny, so the planner would rightly scan it; what matters is that an index serves
        // the filter in the listing's order, with no sort step.
        String plan = context.getBean(TransactionTemplate.class).execute(t -> {
            jdbc.sql("set local enable_seqscan = off").update();
            return String.join("\n", jdbc.sql("""
                    explain select id from calls where org_id = ? and agent_id = ?
                     order by started_at desc, id desc limit 51""")
                    .params(UUID.randomUUID(), UUID.randomUUID()).query(String.class).list());
        });
        assertThat(plan).contains("calls_org_agent_started").doesNotContain("Sort");
    }

    @Test
    void anOrganizationAtItsLimitGetsNoMoreCalls() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        UUID agent = CallTesting.createAgent(http, admin, CallTesting.llmAgentBody("Limited", "Hi."));
        context.getBean(JdbcClient.class).sql("update organizations set max_concurrent_calls = 2 where id = ?")
                .param(org).update();
        CallRuntime runtime = context.getBean(CallRuntime.class);
        CallStart start = new CallStart(org, agent, CallDirection.INBOUND, "+14155550100", "+14155550199",
                "+14155550100", Map.of());
        UUID first = runtime.reserve(start, CallStatus.RINGING);
        runtime.reserve(start, CallStatus.RINGING);
        assertThatThrownBy(() -> runtime.reserve(start, CallStatus.RINGING))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CALL_LIMIT_REACHED));
        assertThat(runtime.abandon(org, first, CallStatus.NO_ANSWER, "no_answer")).isTrue();
        assertThat(runtime.abandon(org, first, CallStatus.NO_ANSWER, "no_answer")).isFalse();
        UUID third = runtime.reserve(start, CallStatus.RINGING);
        assertThat(third).isNotNull();

        JsonNode abandoned = CallTesting.call(http, admin, first);
        assertThat(abandoned.path("status").asString()).isEqualTo("no_answer");
        assertThat(abandoned.path("endReason").asString()).isEqualTo("no_answer");
    }

    @Test
    void callsOfANodeThatStoppedBeatingEndAsNodeLost() {
        UUID org = IdentityTestAccess.organization(context);
        String token = IdentityTestAccess.adminToken(context, org);
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        Instant started = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.MILLIS);
        String dead = "node-dead-" + UUID.randomUUID();
        String alive = "node-alive-" + UUID.randomUUID();
        jdbc.sql("insert into call_nodes (node_id, heartbeat_at) values (?, now() - interval '5 minutes'), (?, now())")
                .params(dead, alive).update();
        UUID orphan = insertCall(org, UUID.randomUUID(), "inbound", "+14155550111", "+14155550199", "in_progress",
                started, dead, false);
        UUID held = insertCall(org, UUID.randomUUID(), "inbound", "+14155550112", "+14155550199", "in_progress",
                started, alive, false);
        Instant lastEvent = started.plusSeconds(42);
        jdbc.sql("insert into call_events (org_id, call_id, seq, type, at, offset_ms) values (?, ?, 1, 'started', ?, 0), (?, ?, 2, 'turn', ?, 42000)")
                .params(org, orphan, Timestamp.from(started), org, orphan, Timestamp.from(lastEvent)).update();

        assertThat(context.getBean(CallNodes.class).sweepStale()).isGreaterThanOrEqualTo(1);

        JsonNode swept = CallTesting.call(http, token, orphan);
        assertThat(swept.path("status").asString()).isEqualTo("completed");
        assertThat(swept.path("endReason").asString()).isEqualTo("node_lost");
        assertThat(Instant.parse(swept.path("endedAt").asString())).isEqualTo(lastEvent);
        JsonNode last = swept.path("events").get(swept.path("events").size() - 1);
        assertThat(last.path("type").asString()).isEqualTo("ended");
        assertThat(last.path("payload").path("reason").asString()).isEqualTo("node_lost");
        assertThat(last.path("seq").asInt()).isEqualTo(3);
        assertThat(CallTesting.call(http, token, held).hasNonNull("endedAt")).isFalse();
    }

    @Test
    void aReservedCallWhoseMediaNeverCameEndsAfterTheTimeout() {
        UUID org = IdentityTestAccess.organization(context);
        String token = IdentityTestAccess.adminToken(context, org);
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        UUID stale = Ids.newId();
        UUID fresh = Ids.newId();
        for (UUID id : List.of(stale, fresh)) {
            jdbc.sql("""
                    insert into calls (org_id, id, direction, agent_id, agent_version, status, started_at, node_id)
                    values (?, ?, 'inbound', ?, 1, 'ringing', now() - make_interval(secs => ?), ?)""")
                    .params(org, id, UUID.randomUUID(), id.equals(stale) ? 600 : 10, liveNode()).update();
        }
        assertThat(context.getBean(CallNodes.class).sweepUnconnected()).isGreaterThanOrEqualTo(1);
        JsonNode ended = CallTesting.call(http, token, stale);
        assertThat(ended.path("status").asString()).isEqualTo("failed");
        assertThat(ended.path("endReason").asString()).isEqualTo("media_timeout");
        assertThat(CallTesting.call(http, token, fresh).hasNonNull("endedAt")).isFalse();
    }

    @Test
    void failedRecordingWritesAreRetriedWithBackoffAndShowOnTheCall() throws Exception {
        UUID org = IdentityTestAccess.organization(context);
        String token = IdentityTestAccess.adminToken(context, org);
        UUID callId = insertCall(org, UUID.randomUUID(), "web", null, null, "in_progress", Instant.now(), liveNode(), false);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("calls-recordings-");
        LocalRecordingStorage local = new LocalRecordingStorage(dir);
        java.util.concurrent.atomic.AtomicInteger failuresLeft = new java.util.concurrent.atomic.AtomicInteger(3);
        RecordingStorage flaky = new RecordingStorage() {
            @Override
            public Upload create(String key) throws java.io.IOException {
                Upload real = local.create(key);
                return new Upload() {
                    @Override
                    public void append(short[] left, short[] right, int frames) throws java.io.IOException {
                        if (failuresLeft.getAndDecrement() > 0) {
                            throw new java.io.IOException("store unreachable");
                        }
                        real.append(left, right, frames);
                    }

                    @Override
                    public Stored finish() throws java.io.IOException {
                        return real.finish();
                    }

                    @Override
                    public long frames() {
                        return real.frames();
                    }
                };
            }

            @Override
            public java.util.Optional<org.springframework.core.io.Resource> open(String key) {
                return local.open(key);
            }

            @Override
            public java.util.Optional<Stored> salvage(String key) throws java.io.IOException {
                return local.salvage(key);
            }
        };
        var beans = new org.springframework.beans.factory.support.StaticListableBeanFactory(Map.of("flaky", flaky));
        Recordings recordings = new Recordings(beans.getBeanProvider(RecordingStorage.class),
                context.getBean(CallRecords.class), dir.toString(), java.time.Duration.ofMinutes(1));
        try {
            CallRecorder recorder = recordings.start(org, callId);
            long until = System.nanoTime() + 3_000_000_000L;
            boolean sawRetrying = false;
            while (System.nanoTime() < until) {
                recorder.callerAudio(new short[320]);
                JsonNode rec = CallTesting.call(http, token, callId).path("recording");
                if (rec.path("status").asString().equals("retrying")) {
                    sawRetrying = true;
                    assertThat(rec.path("attempts").asInt()).isGreaterThanOrEqualTo(1);
                    assertThat(rec.path("error").asString()).contains("store unreachable");
                }
                Thread.sleep(20);
            }
            assertThat(sawRetrying).isTrue();
            recordings.finish(callId).get(10, java.util.concurrent.TimeUnit.SECONDS);
            JsonNode done = CallTesting.call(http, token, callId).path("recording");
            assertThat(done.path("status").asString()).isEqualTo("complete");
            assertThat(done.path("attempts").asInt()).isEqualTo(3);
            assertThat(done.path("durationMs").asLong()).isBetween(2_500L, 4_000L);
        } finally {
            recordings.stop();
        }
    }
}
