package dev.palaver.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.palaver.server.brain.FrontDesk;
import dev.palaver.server.calls.CallStatistics;
import dev.palaver.server.calls.CallsTestAccess;
import dev.palaver.server.testing.SharedPalaverContext;

/** Calls pages, figures, the recording for the player, customers and the agent test panel, over real HTTP. */
class CallPagesTest extends SharedPalaverContext {

    private static final Pattern CALL_LINK = Pattern.compile("href=\"/calls/([0-9a-f-]{36})\"");

    private DashboardData data;
    private PageClient owner;

    @BeforeEach
    void signIn() {
        data = DashboardData.create(context, http, "Echo");
        owner = new PageClient(port);
        owner.login(data.owner().email(), data.owner().password());
    }

    private static List<String> callIds(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = CALL_LINK.matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private UUID call(String from, long... firstAudioOutMs) {
        return CallsTestAccess.finishedCall(context, data.orgId(), data.agentId(),
                new CallsTestAccess.Script(from, "hello", "hi there", false, firstAudioOutMs, false));
    }

    @Test
    void theListFiltersSearchesByNumberAndPagesWithACursor() {
        UUID second = call("+14155550101", 500);
        UUID third = call("+14155550102", 700);
        List<String> all = new ArrayList<>();
        String next = "/calls?limit=2";
        while (next != null) {
            String html = owner.get(next).body();
            all.addAll(callIds(html));
            Matcher more = Pattern.compile("href=\"(/calls\\?[^\"]*cursor=[^\"]+)\">Older calls").matcher(html);
            next = more.find() ? more.group(1).replace("&amp;", "&") : null;
        }
        assertThat(all).containsExactly(third.toString(), second.toString(), data.callId().toString());

        assertThat(callIds(owner.get("/calls?q=%2B14155550101").body())).containsExactly(second.toString());
        assertThat(callIds(owner.get("/calls?status=failed").body())).isEmpty();
        assertThat(callIds(owner.get("/calls?status=completed&direction=inbound&agent=" + data.agentId()).body())).hasSize(3);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertThat(callIds(owner.get("/calls?from=" + today + "&to=" + today).body())).hasSize(3);
        assertThat(callIds(owner.get("/calls?to=2000-01-01").body())).isEmpty();
        HttpResponse<String> badDate = owner.get("/appointments?from=yesterday");
        assertThat(badDate.statusCode()).isEqualTo(400);
        assertThat(badDate.body()).contains("Dates are written like 2026-11-24.");
        assertThat(owner.get("/calls?from=24.11.2026").statusCode()).isEqualTo(400);
        HttpResponse<String> bad = owner.get("/calls?status=exploded");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("role=\"alert\"").contains("Unknown filter value");
    }

    @Test
    void figuresArePercentilesOfTheTurnsFirstAudio() {
        call("+14155550103", 100, 200, 300, 400);
        CallStatistics stats = context.getBean(CallStatistics.class);
        var buckets = stats.latency(data.orgId(), java.time.Instant.now().minusSeconds(3600), "hour");
        long turns = buckets.stream().mapToLong(CallStatistics.LatencyBucket::turns).sum();
        assertThat(turns).isEqualTo(6);
        if (buckets.size() == 1) {
            // 100, 200, 300, 400, 640, 910: p50 = 350, p90 = 775 (linear interpolation, as percentile_cont does)
            assertThat(buckets.get(0).p50Ms()).isEqualTo(350.0);
            assertThat(buckets.get(0).p90Ms()).isEqualTo(775.0);
        }
        var summary = stats.summary(data.orgId(), java.time.Instant.now().minusSeconds(3600));
        assertThat(summary.calls()).isEqualTo(2);
        assertThat(summary.errors()).isEqualTo(1);
        assertThat(summary.averageSeconds()).isCloseTo(7.0, org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void theRecordingPlaysWithThePageSessionHonoursRangesAndStaysInItsOrganization() {
        HttpResponse<String> whole = owner.get("/calls/" + data.callId() + "/recording");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type")).contains("audio/wav");
        HttpResponse<String> part = owner.get("/calls/" + data.callId() + "/recording", "Range", "bytes=0-43");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).startsWith("RIFF");
        assertThat(new PageClient(port).get("/calls/" + data.callId() + "/recording").statusCode()).isEqualTo(302);
        DashboardData other = DashboardData.create(context, http, "Foxtrot");
        assertThat(owner.get("/calls/" + other.callId() + "/recording").statusCode()).isEqualTo(404);
        assertThat(owner.get("/calls/" + other.callId()).statusCode()).isEqualTo(404);
        assertThat(callIds(owner.get("/calls").body())).doesNotContain(other.callId().toString());
    }

    @Test
    void customersAndAppointmentsAreListedAndSearched() {
        assertThat(owner.get("/customers?q=echo").body()).contains("Echo Customer").contains(DashboardData.phone("Echo"));
        assertThat(owner.get("/customers?q=nobody-like-this").body()).contains("No customers found.");
        HttpResponse<String> appointments = owner.get("/appointments");
        assertThat(appointments.body()).contains("Echo consultation").contains("Echo Customer");
        Matcher cancel = Pattern.compile("action=\"(/appointments/[0-9a-f-]{36}/cancel)\"").matcher(appointments.body());
        assertThat(cancel.find()).isTrue();
        HttpResponse<String> cancelled = owner.post(cancel.group(1), Map.of(), true);
        assertThat(cancelled.statusCode()).isEqualTo(302);
        assertThat(owner.get("/appointments").body()).doesNotContain("Echo consultation");
    }

    @Test
    void theTestPanelTalksToTheAgentsRealBrain() {
        UUID frontDesk = context.getBean(FrontDesk.class).create(data.orgId());
        owner.get("/agents/" + frontDesk);
        HttpResponse<String> first = owner.post("/agents/" + frontDesk + "/test-turns",
                Map.of("text", "What are your opening hours?"), true);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("<strong>You:</strong> <span>What are your opening hours?</span>");
        Matcher session = Pattern.compile("id=\"test-session\" name=\"sessionId\" value=\"([0-9a-f-]{36})\"").matcher(first.body());
        assertThat(session.find()).isTrue();
        assertThat(first.body()).containsPattern("(?i)monday|9|nine");
        HttpResponse<String> second = owner.post("/agents/" + frontDesk + "/test-turns",
                Map.of("text", "Where are you?", "sessionId", session.group(1)), true);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).doesNotContain("<strong>Agent:</strong> <span>" + "Hello");

        PageClient viewer = new PageClient(port);
        viewer.login(data.viewer().email(), data.viewer().password());
        assertThat(viewer.get("/agents/" + frontDesk).body()).doesNotContain("Test by text");
        assertThat(viewer.post("/agents/" + frontDesk + "/test-turns", Map.of("text", "hi"), true).statusCode()).isEqualTo(403);
    }
}
