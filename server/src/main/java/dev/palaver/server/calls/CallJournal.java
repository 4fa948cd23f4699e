package dev.palaver.server.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import tools.jackson.databind.ObjectMapper;

import dev.palaver.media.call.CallEvent;
import dev.palaver.media.call.CallEvent.CallEnded;
import dev.palaver.media.call.CallEvent.CallStarted;
import dev.palaver.media.call.CallEvent.CallerInterrupted;
import dev.palaver.media.call.CallEvent.ErrorOccurred;
import dev.palaver.media.call.CallEvent.ToolCalled;
import dev.palaver.media.call.CallEvent.TranscriptRecorded;
import dev.palaver.media.call.CallEvent.TurnMeasured;
import dev.palaver.media.call.CallEventSink;
import dev.palaver.media.call.TurnMetrics;

/**
 * One call's {@link CallEventSink}: turns engine events into event rows and transcript segments and hands
 * them to the {@link CallEventWriter} without blocking. Sequence numbers follow the order events arrive.
 * The engine's {@link CallEnded} is passed to {@code onEnded} (the runtime finishes the call) after its
 * row is queued.
 */
final class CallJournal implements CallEventSink {

    private final UUID orgId;
    private final UUID callId;
    private final Instant mediaStart;
    private final long mediaStartNanos;
    private final CallEventWriter writer;
    private final ObjectMapper json;
    private final Consumer<CallEnded> onEnded;
    private final CallMetrics metrics;
    private final AtomicInteger seq = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();

    CallJournal(UUID orgId, UUID callId, CallEventWriter writer, ObjectMapper json, CallMetrics metrics,
                Consumer<CallEnded> onEnded) {
        this.orgId = orgId;
        this.callId = callId;
        this.mediaStart = Instant.now();
        this.mediaStartNanos = System.nanoTime();
        this.writer = writer;
        this.json = json;
        this.onEnded = onEnded;
        this.metrics = metrics;
    }

    @Override
    public void accept(CallEvent event) {
        switch (event) {
            case CallStarted e -> event("started", e.atMillis(), Map.of());
            case TranscriptRecorded e -> queue(new CallEventWriter.SegmentWrite(orgId, callId, seq.incrementAndGet(),
                    e.speaker().name().toLowerCase(Locale.ROOT), e.text(), e.startMillis(), e.endMillis(),
                    e.interrupted()));
            case TurnMeasured e -> {
                metrics.turn(e.metrics());
                event("turn", e.atMillis(), metrics(e.metrics()));
            }
            case ToolCalled e -> {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("toolCallId", e.toolCallId());
                p.put("name", e.name());
                p.put("arguments", e.argumentsJson());
                p.put("result", e.result());
                p.put("error", e.error());
                p.put("durationMs", e.durationMillis());
                event("tool_called", e.atMillis(), p);
            }
            case CallerInterrupted e -> event("interrupted", e.atMillis(), Map.of("heardText", e.heardText()));
            case ErrorOccurred e -> event("error", e.atMillis(),
                    Map.of("component", e.component(), "message", e.message()));
            case CallEnded e -> onEnded.accept(e);
        }
    }

    /** An event the platform itself records (transfer, DTMF sent, setup failure), stamped now. */
    void platformEvent(String type, Map<String, Object> payload) {
        event(type, offsetNow(), payload);
    }

    /** The final event, queued with waiting: it must not be dropped. */
    void endedEvent(String reason, long atMillis) throws InterruptedException {
        writer.put(new CallEventWriter.EventWrite(orgId, callId, seq.incrementAndGet(), "ended",
                mediaStart.plusMillis(atMillis), atMillis, json.writeValueAsString(Map.of("reason", reason))));
    }

    long offsetNow() {
        return (System.nanoTime() - mediaStartNanos) / 1_000_000;
    }

    Instant at(long offsetMillis) {
        return mediaStart.plusMillis(offsetMillis);
    }

    /** Writes the queue was too full to take. */
    int dropped() {
        return dropped.get();
    }

    private void event(String type, long atMillis, Map<String, Object> payload) {
        queue(new CallEventWriter.EventWrite(orgId, callId, seq.incrementAndGet(), type, mediaStart.plusMillis(atMillis),
                atMillis, json.writeValueAsString(payload)));
    }

    private void queue(CallEventWriter.Write write) {
        if (!writer.offer(write)) {
            dropped.incrementAndGet();
            metrics.eventsDropped(1);
        }
    }

    static Map<String, Object> metrics(TurnMetrics m) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("turn", m.turn());
        p.put("endpointingDelayMs", millis(m.endpointingDelay()));
        p.put("sttFinalLatencyMs", millis(m.sttFinalLatency()));
        p.put("llmTimeToFirstTokenMs", millis(m.llmTimeToFirstToken()));
        p.put("ttsTimeToFirstByteMs", millis(m.ttsTimeToFirstByte()));
        p.put("firstAudioOutMs", millis(m.firstAudioOut()));
        p.put("providerTimeMs", millis(m.providerTime()));
        p.put("platformOverheadMs", millis(m.platformOverhead()));
        return p;
    }

    private static Long millis(Duration d) {
        return d == null ? null : d.toMillis();
    }
}
