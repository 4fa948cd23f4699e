package dev.palaver.server.dashboard;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import dev.palaver.server.agents.Agents;
import dev.palaver.server.calls.CallDirection;
import dev.palaver.server.calls.CallHistory;
import dev.palaver.server.calls.CallRecord;
import dev.palaver.server.calls.CallStatus;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/** {@code /calls} (filters, number search, cursor pages) and {@code /calls/{id}} (timeline, transcript, recording, latency, tools). */
@Controller
class CallsPage {

    private final CallHistory history;
    private final Agents agents;
    private final Charts charts;

    CallsPage(CallHistory history, Agents agents, Charts charts) {
        this.history = history;
        this.agents = agents;
        this.charts = charts;
    }

    /** The filter form as submitted; blank fields do not filter. Dates are whole UTC days, {@code to} inclusive. */
    record Filters(String agent, String status, String direction, String q, String from, String to) {
        CallHistory.Query query() {
            return new CallHistory.Query(uuid(agent), status == null || status.isBlank() ? null : wire(status, CallStatus::fromWire),
                    direction == null || direction.isBlank() ? null : wire(direction, CallDirection::fromWire),
                    q == null || q.isBlank() ? null : q.strip(),
                    day(from, 0), day(to, 1));
        }

        private static UUID uuid(String s) {
            try {
                return s == null || s.isBlank() ? null : UUID.fromString(s.strip());
            } catch (IllegalArgumentException e) {
                throw new ApiException(ErrorCode.BAD_REQUEST, "The agent filter is not an agent id.");
            }
        }

        private static <T> T wire(String s, java.util.function.Function<String, T> parse) {
            try {
                return parse.apply(s.strip());
            } catch (RuntimeException e) {
                throw new ApiException(ErrorCode.BAD_REQUEST, "Unknown filter value '" + s + "'.");
            }
        }

        private static java.time.Instant day(String s, int plusDays) {
            LocalDate day = Formats.day(s);
            return day == null ? null : day.plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
    }

    @GetMapping("/calls")
    String list(Caller caller, Filters filters, @RequestParam(name = "cursor", required = false) String cursor,
                @RequestParam(name = "limit", required = false) Integer limit, Model model) {
        model.addAttribute("filters", filters);
        model.addAttribute("limit", limit);
        model.addAttribute("page", history.list(caller.orgId(), filters.query(), cursor, limit));
        model.addAttribute("agents", agents.list(caller.orgId(), null, 200).items());
        model.addAttribute("statuses", Arrays.stream(CallStatus.values()).map(CallStatus::wire).toList());
        model.addAttribute("directions", Arrays.stream(CallDirection.values()).map(CallDirection::wire).toList());
        return "calls";
    }

    @GetMapping("/calls/{id}")
    String call(Caller caller, @PathVariable UUID id, Model model) {
        CallRecord.Details details = history.details(caller.orgId(), id);
        List<CallRecord.Event> tools = details.events().stream().filter(e -> e.type().equals("tool_called")).toList();
        model.addAttribute("call", details.call());
        model.addAttribute("details", details);
        model.addAttribute("tools", tools);
        model.addAttribute("turnChart", details.turns().isEmpty() ? null : charts.turnLatency(details.turns()));
        model.addAttribute("agentName", agentName(caller, details.call().agentId()));
        return "call";
    }

    /** The recording for the page's audio player (ranges honoured), with the page's session. */
    @GetMapping("/calls/{id}/recording")
    ResponseEntity<Resource> recording(Caller caller, @PathVariable UUID id) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("audio/wav"))
                .body(history.recording(caller.orgId(), id));
    }

    private String agentName(Caller caller, UUID agentId) {
        try {
            return agents.get(caller.orgId(), agentId).definition().name();
        } catch (ApiException deleted) {
            return "a deleted agent";
        }
    }
}
