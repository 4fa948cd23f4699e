package dev.palaver.server.calls;

import java.util.Map;
import java.util.UUID;

import org.springframework.context.ApplicationContext;

import dev.palaver.server.platform.db.Ids;

/**
 * For tests of other features (the dashboard): a finished call stored through the same writes the call
 * runtime makes (row, events, transcript segments, a real two-channel WAV in the recording storage).
 */
public final class CallsTestAccess {

    private CallsTestAccess() {
    }

    /** What the finished call looks like: its caller's number, what each side said, per-turn latencies. */
    public record Script(String from, String callerSays, String agentSays, boolean agentInterrupted, long[] firstAudioOutMs,
                         boolean withError) {
    }

    public static UUID finishedCall(ApplicationContext context, UUID orgId, UUID agentId, Script script) {
        CallRecords records = context.getBean(CallRecords.class);
        Recordings recordings = context.getBean(Recordings.class);
        UUID id = Ids.newId();
        records.insertWithinLimit(orgId, id, new CallStart(orgId, agentId, CallDirection.INBOUND, script.from(), "+15550000000",
                script.from(), Map.of()), 1, CallStatus.IN_PROGRESS, "test-node", 1000);
        var started = java.time.Instant.now();
        int seq = 0;
        records.appendEvent(orgId, id, ++seq, "started", started, 0, "{}");
        records.appendSegment(orgId, id, ++seq, "caller", script.callerSays(), 500, 2500, false);
        records.appendSegment(orgId, id, ++seq, "agent", script.agentSays(), 3200, 5200, script.agentInterrupted());
        if (script.agentInterrupted()) {
            records.appendEvent(orgId, id, ++seq, "interrupted", started.plusMillis(5200), 5200,
                    "{\"heardText\": \"" + script.agentSays() + "\"}");
        }
        records.appendEvent(orgId, id, ++seq, "tool_called", started.plusMillis(3000), 3000,
                "{\"toolCallId\": \"t1\", \"name\": \"knowledge_search\", \"arguments\": \"{\\\"query\\\": \\\"hours\\\"}\","
                        + " \"result\": \"open 9 to 5\", \"error\": null, \"durationMs\": 42}");
        for (int i = 0; i < script.firstAudioOutMs().length; i++) {
            long ms = script.firstAudioOutMs()[i];
            records.appendEvent(orgId, id, ++seq, "turn", started.plusMillis(3200 + i * 4000L), 3200 + i * 4000L,
                    "{\"turn\": " + (i + 1) + ", \"sttFinalLatencyMs\": 120, \"llmTimeToFirstTokenMs\": " + (ms / 2)
                            + ", \"ttsTimeToFirstByteMs\": 150, \"firstAudioOutMs\": " + ms + "}");
        }
        if (script.withError()) {
            records.appendEvent(orgId, id, ++seq, "error", started.plusMillis(6000), 6000,
                    "{\"component\": \"tts\", \"message\": \"the voice provider timed out\"}");
        }
        String key = Recordings.key(orgId, id);
        try {
            RecordingStorage.Upload upload = recordings.storage().create(key);
            short[] left = new short[16_000];
            short[] right = new short[16_000];
            for (int i = 0; i < left.length; i++) {
                left[i] = (short) (Math.sin(i * 2 * Math.PI * 440 / 16_000) * 8000);
            }
            upload.append(left, right, left.length);
            RecordingStorage.Stored stored = upload.finish();
            records.recordingState(orgId, id, "recording", key, 1, null);
            records.recordingFinished(orgId, id, stored.bytes(), stored.durationMillis(), stored.sha256());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        records.appendEvent(orgId, id, ++seq, "ended", started.plusMillis(7000), 7000, "{\"reason\": \"caller_hung_up\"}");
        records.markEnded(orgId, id, CallStatus.COMPLETED, "caller_hung_up", started.plusMillis(7000), 0);
        return id;
    }
}
