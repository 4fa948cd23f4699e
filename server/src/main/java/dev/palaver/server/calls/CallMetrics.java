package dev.palaver.server.calls;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

import dev.palaver.media.call.TurnMetrics;

/**
 * Calls in Micrometer, scraped by Prometheus as
 * <ul>
 * <li>{@code palaver_calls_active}: calls running on this node;</li>
 * <li>{@code palaver_calls_total} (direction, end_reason): calls that ended, counted once each by the node
 * that ended them (a lost node's calls by the node that swept them);</li>
 * <li>{@code palaver_turn_latency_seconds} (histogram): from the end of the caller's turn to the first audio
 * of the reply sent to the caller;</li>
 * <li>{@code palaver_turn_platform_overhead_seconds} (histogram): the part of that latency that is the
 * platform's own, not the providers';</li>
 * <li>{@code palaver_call_events_dropped_total}: call events and transcript segments the writer's full queue
 * could not take.</li>
 * </ul>
 */
@Component
class CallMetrics {

    private final MeterRegistry registry;
    private final Timer turnLatency;
    private final Timer platformOverhead;
    private final Counter eventsDropped;

    CallMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.turnLatency = Timer.builder("palaver.turn.latency")
                .description("Time from the end of the caller's turn to the first audio of the reply")
                .publishPercentileHistogram()
                .register(registry);
        this.platformOverhead = Timer.builder("palaver.turn.platform.overhead")
                .description("The platform's own part of a turn's latency, outside provider time")
                .publishPercentileHistogram()
                .register(registry);
        this.eventsDropped = Counter.builder("palaver.call.events.dropped")
                .description("Call events and transcript segments dropped because the writer queue was full")
                .register(registry);
    }

    /** Reports the size of {@code live} as the active calls. */
    void watchActive(Map<?, ?> live) {
        Gauge.builder("palaver.calls.active", live, Map::size)
                .description("Calls running on this node")
                .strongReference(true)
                .register(registry);
    }

    /** A call ended; call once per call, where its end was recorded. */
    void ended(CallDirection direction, String endReason) {
        Counter.builder("palaver.calls")
                .description("Calls that ended, by direction and end reason")
                .tags("direction", direction.wire(), "end_reason", endReason == null ? "unknown" : endReason)
                .register(registry)
                .increment();
    }

    void turn(TurnMetrics metrics) {
        record(turnLatency, metrics.firstAudioOut());
        record(platformOverhead, metrics.platformOverhead());
    }

    void eventsDropped(int count) {
        if (count > 0) {
            eventsDropped.increment(count);
        }
    }

    private static void record(Timer timer, Duration d) {
        if (d != null && !d.isNegative()) {
            timer.record(d);
        }
    }
}
