package dev.palaver.server.calls;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.identity.Scopes;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * The dashboard overview's figures over HTTP ({@link CallStatistics}): KPIs of the calls started since an
 * instant (today by default) and turn latency percentiles per hour or day. Viewers and keys with
 * {@code calls:read}; always the caller's organization.
 */
@RestController
@RequestMapping("/api/v1/calls/stats")
@Tag(name = "Calls")
class CallStatsController {

    static final int MAX_HOURS = 720;

    private final CallStatistics statistics;

    CallStatsController(CallStatistics statistics) {
        this.statistics = statistics;
    }

    /** The KPIs and the instant they count from. */
    record Kpis(Instant from, long calls, long open, long failed, Double averageSeconds, long errors) {
    }

    /** Turn latency per bucket over the last {@code hours}. */
    record Series(Instant from, int hours, String bucket, List<CallStatistics.LatencyBucket> buckets) {
    }

    @GetMapping
    @Access(role = Role.VIEWER, scope = Scopes.CALLS_READ)
    @Operation(summary = "Call KPIs: calls, open, failed, average duration, error events",
            description = "Counts the calls started at or after `from` (ISO-8601 instant, not in the future; "
                    + "default: the start of today, UTC). `averageSeconds` is over ended calls, from answer "
                    + "(or start) to end, null when none has ended; `errors` counts the calls' error events.")
    Kpis kpis(Caller caller,
              @Parameter(description = "ISO-8601 instant; default the start of the current UTC day")
              @RequestParam(required = false) String from) {
        Instant now = Instant.now();
        Instant since = CallsController.instant("from", from);
        if (since == null) {
            since = now.truncatedTo(ChronoUnit.DAYS);
        } else if (since.isAfter(now)) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "from must not be in the future.");
        }
        CallStatistics.Summary s = statistics.summary(caller.orgId(), since);
        return new Kpis(since, s.calls(), s.open(), s.failed(), s.averageSeconds(), s.errors());
    }

    @GetMapping("/series")
    @Access(role = Role.VIEWER, scope = Scopes.CALLS_READ)
    @Operation(summary = "Turn latency (p50, p90 of first audio out) per hour or day",
            description = "The turns of the last `hours` (1–720, default 24), by their own time, grouped by "
                    + "`bucket` (`hour`, the default, or `day`; UTC); the first bucket counts its turns from `from` on. "
                    + "Buckets without turns are left out. Closed hours and days come from a rollup computed once.")
    Series series(Caller caller,
                  @RequestParam(required = false) String hours,
                  @Parameter(description = "hour or day")
                  @RequestParam(required = false) String bucket) {
        int window = hours(hours);
        String unit = bucket == null || bucket.isBlank() ? "hour" : bucket.strip();
        if (!unit.equals("hour") && !unit.equals("day")) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "bucket must be hour or day.");
        }
        Instant since = Instant.now().minus(Duration.ofHours(window));
        return new Series(since, window, unit, statistics.latency(caller.orgId(), since, unit));
    }

    private static int hours(String value) {
        if (value == null || value.isBlank()) {
            return 24;
        }
        try {
            int h = Integer.parseInt(value.strip());
            if (h >= 1 && h <= MAX_HOURS) {
                return h;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(ErrorCode.BAD_REQUEST, "hours must be a whole number from 1 to " + MAX_HOURS + ".");
    }
}
