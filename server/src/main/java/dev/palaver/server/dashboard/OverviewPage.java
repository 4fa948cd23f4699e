package dev.palaver.server.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.palaver.server.agents.Agents;
import dev.palaver.server.calls.CallStatistics;
import dev.palaver.server.identity.Caller;

/** {@code /}: today's calls, their average duration and errors, turn latency p50/p90 over the last day. */
@Controller
class OverviewPage {

    private final Agents agents;
    private final CallStatistics statistics;
    private final Charts charts;

    OverviewPage(Agents agents, CallStatistics statistics, Charts charts) {
        this.agents = agents;
        this.statistics = statistics;
        this.charts = charts;
    }

    @GetMapping("/")
    String overview(Caller caller, Model model) {
        Instant now = Instant.now();
        Instant today = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
        var latency = statistics.latency(caller.orgId(), now.minus(Duration.ofHours(24)), "hour");
        model.addAttribute("today", statistics.summary(caller.orgId(), today));
        model.addAttribute("latency", latency);
        model.addAttribute("latencyChart", charts.latencyOverTime(latency));
        model.addAttribute("errors", statistics.recentErrors(caller.orgId(), now.minus(Duration.ofDays(7)), 10));
        model.addAttribute("agents", agents.list(caller.orgId(), null, 200).items());
        return "overview";
    }
}
