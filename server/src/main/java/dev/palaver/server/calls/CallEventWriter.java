package dev.palaver.server.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import jakarta.annotation.PreDestroy;

/**
 * Writes call events and transcript segments to the database as they happen, off the calls' loops: one
 * bounded queue drained by one virtual thread, in batches of up to {@value #BATCH} per transaction. Calls
 * only ever {@link #offer} (never blocks; a full queue drops the write and the call counts it); the
 * end-of-call path {@link #put}s (blocks, so the final record is never dropped) and then waits on a
 * {@link #flush} barrier. A batch the database refuses is retried with backoff before it is given up.
 */
@Component
class CallEventWriter {

    private static final Logger log = LoggerFactory.getLogger(CallEventWriter.class);
    static final int BATCH = 256;
    private static final int ATTEMPTS = 5;

    /** One write, applied in queue order. */
    sealed interface Write {
        void apply(CallRecords records);
    }

    record EventWrite(UUID orgId, UUID callId, int seq, String type, Instant at, long offsetMs, String payload)
            implements Write {
        public void apply(CallRecords records) {
            records.appendEvent(orgId, callId, seq, type, at, offsetMs, payload);
        }
    }

    record SegmentWrite(UUID orgId, UUID callId, int seq, String role, String text, long startMs, long endMs,
                        boolean interrupted) implements Write {
        public void apply(CallRecords records) {
            records.appendSegment(orgId, callId, seq, role, text, startMs, endMs, interrupted);
        }
    }

    record Flush(CompletableFuture<Void> done) implements Write {
        public void apply(CallRecords records) {
        }
    }

    private final CallRecords records;
    private final TransactionTemplate tx;
    private final BlockingQueue<Write> queue;
    private final Thread thread;
    private volatile boolean stopping;

    CallEventWriter(CallRecords records, TransactionTemplate tx,
                    @Value("${palaver.calls.event-queue-capacity:65536}") int capacity) {
        this.records = records;
        this.tx = tx;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofVirtual().name("palaver-call-event-writer").start(this::run);
    }

    /** Queues a write without blocking; false when the queue is full (the write is dropped). */
    boolean offer(Write write) {
        return queue.offer(write);
    }

    /** Queues a write, waiting for room: for the end of a call, never for its loop. */
    void put(Write write) throws InterruptedException {
        queue.put(write);
    }

    /** Completes once everything queued before it is written. */
    CompletableFuture<Void> flush() throws InterruptedException {
        Flush flush = new Flush(new CompletableFuture<>());
        queue.put(flush);
        return flush.done();
    }

    private void run() {
        List<Write> batch = new ArrayList<>(BATCH);
        while (!stopping || !queue.isEmpty()) {
            try {
                Write first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                if (!stopping) {
                    log.warn("Call event writer interrupted; continuing until shutdown");
                }
            } finally {
                for (Write w : batch) {
                    if (w instanceof Flush(CompletableFuture<Void> done)) {
                        done.complete(null);
                    }
                }
                batch.clear();
            }
        }
    }

    private void write(List<Write> batch) throws InterruptedException {
        Duration backoff = Duration.ofMillis(100);
        for (int attempt = 1; ; attempt++) {
            try {
                tx.executeWithoutResult(t -> batch.forEach(w -> w.apply(records)));
                return;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    log.error("Dropping {} call records after {} attempts: {}", batch.size(), attempt, e.toString());
                    return;
                }
                log.warn("Writing {} call records failed (attempt {}), retrying in {} ms: {}", batch.size(), attempt,
                        backoff.toMillis(), e.toString());
                Thread.sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    /** Writes everything still queued before the database goes away. */
    @PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        if (!thread.join(Duration.ofSeconds(10))) {
            log.warn("Call event writer still had {} writes queued at shutdown", queue.size());
        }
    }
}
