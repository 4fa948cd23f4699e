package dev.palaver.server.calls;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;

/**
 * Runs the recordings of this node's calls: every {@link #TICK} each one's settled audio goes to the
 * {@link RecordingStorage}; a failed write is retried with exponential backoff (up to {@link #MAX_BACKOFF})
 * and shows on the call as {@code retrying} with the attempt count and error until a write succeeds.
 * At the end of a call the rest is written and the file finished with its SHA-256 recorded; if the store
 * still fails after {@link #FINISH_ATTEMPTS} tries the recording is marked {@code failed}.
 */
@Component
class Recordings {

    private static final Logger log = LoggerFactory.getLogger(Recordings.class);
    static final Duration TICK = Duration.ofMillis(250);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
    static final int FINISH_ATTEMPTS = 6;

    private final RecordingStorage storage;
    private final CallRecords records;
    private final Duration maxBuffered;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("palaver-recordings").factory());
    private final Map<UUID, Active> active = new ConcurrentHashMap<>();

    Recordings(ObjectProvider<RecordingStorage> storage, CallRecords records,
               @Value("${palaver.data-dir:./data}") String dataDir,
               @Value("${palaver.calls.recording-max-buffered:5m}") Duration maxBuffered) {
        this.storage = storage.getIfAvailable(() -> new LocalRecordingStorage(Path.of(dataDir, "recordings")));
        this.records = records;
        this.maxBuffered = maxBuffered;
        executor.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    RecordingStorage storage() {
        return storage;
    }

    static String key(UUID orgId, UUID callId) {
        return orgId + "/" + callId;
    }

    /** Starts recording a call; a store that cannot even start leaves the call unrecorded (and says so). */
    CallRecorder start(UUID orgId, UUID callId) {
        CallRecorder recorder = new CallRecorder(System::nanoTime, maxBuffered);
        String key = key(orgId, callId);
        try {
            RecordingStorage.Upload upload = storage.create(key);
            active.put(callId, new Active(orgId, callId, recorder, upload));
            records.recordingState(orgId, callId, "recording", key, 0, null);
        } catch (IOException | RuntimeException e) {
            log.warn("Recording of call {} could not start: {}", callId, e.toString());
            records.recordingState(orgId, callId, "failed", key, 1, e.toString());
        }
        return recorder;
    }

    /** Writes the rest of the call's recording and finishes it; completes when it is final. */
    CompletableFuture<Void> finish(UUID callId) {
        Active a = active.get(callId);
        if (a == null) {
            return CompletableFuture.completedFuture(null);
        }
        a.recorder.end();
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> finishAttempt(a, done, 1, FIRST_BACKOFF));
        return done;
    }

    /** Makes the recording of a call a dead node held readable, as far as it got. */
    void salvage(UUID orgId, UUID callId, String key) {
        try {
            storage.salvage(key).ifPresentOrElse(
                    stored -> records.recordingFinished(orgId, callId, stored.bytes(), stored.durationMillis(),
                            stored.sha256()),
                    () -> records.recordingState(orgId, callId, "failed", null, 0, "The node was lost before audio was written."));
        } catch (IOException | RuntimeException e) {
            log.warn("Salvaging the recording of call {} failed: {}", callId, e.toString());
            records.recordingState(orgId, callId, "failed", null, 0, e.toString());
        }
    }

    private void finishAttempt(Active a, CompletableFuture<Void> done, int attempt, Duration backoff) {
        try {
            a.recorder.drain(a.upload);
            RecordingStorage.Stored stored = a.upload.finish();
            records.recordingFinished(a.orgId, a.callId, stored.bytes(), stored.durationMillis(), stored.sha256());
            if (a.recorder.overflowed()) {
                records.recordingState(a.orgId, a.callId, "complete", null, a.attempts,
                        "The store fell behind; some audio was dropped.");
            }
            active.remove(a.callId);
            done.complete(null);
        } catch (IOException | RuntimeException e) {
            a.attempts++;
            if (attempt >= FINISH_ATTEMPTS) {
                log.error("Recording of call {} failed for good: {}", a.callId, e.toString());
                records.recordingState(a.orgId, a.callId, "failed", null, a.attempts, e.toString());
                active.remove(a.callId);
                done.complete(null);
                return;
            }
            records.recordingState(a.orgId, a.callId, "retrying", null, a.attempts, e.toString());
            executor.schedule(() -> finishAttempt(a, done, attempt + 1, next(backoff)), backoff.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        long now = System.nanoTime();
        for (Active a : active.values()) {
            if (a.recorder.isEnded() || now < a.retryAt) {
                continue;
            }
            try {
                a.recorder.drain(a.upload);
                if (a.failing) {
                    a.failing = false;
                    a.backoff = FIRST_BACKOFF;
                    records.recordingState(a.orgId, a.callId, "recording", null, a.attempts, null);
                }
            } catch (IOException | RuntimeException e) {
                a.attempts++;
                a.failing = true;
                a.retryAt = now + a.backoff.toNanos();
                log.warn("Writing the recording of call {} failed (attempt {}), retrying in {} ms: {}", a.callId,
                        a.attempts, a.backoff.toMillis(), e.toString());
                a.backoff = next(a.backoff);
                try {
                    records.recordingState(a.orgId, a.callId, "retrying", null, a.attempts, e.toString());
                } catch (RuntimeException dbDown) {
                    log.warn("Could not mark the recording of call {} as retrying: {}", a.callId, dbDown.toString());
                }
            }
        }
    }

    private static Duration next(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Touched only on the recordings' thread. */
    private static final class Active {
        final UUID orgId;
        final UUID callId;
        final CallRecorder recorder;
        final RecordingStorage.Upload upload;
        int attempts;
        boolean failing;
        long retryAt;
        Duration backoff = FIRST_BACKOFF;

        Active(UUID orgId, UUID callId, CallRecorder recorder, RecordingStorage.Upload upload) {
            this.orgId = orgId;
            this.callId = callId;
            this.recorder = recorder;
            this.upload = upload;
        }
    }
}
