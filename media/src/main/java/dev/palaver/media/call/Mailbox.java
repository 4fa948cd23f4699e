package dev.palaver.media.call;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A call's bounded inbox. Inbound audio is dropped once the box is three-quarters full, keeping the last
 * quarter for control events (provider results, timers, hang-up), which are refused only when it is full.
 */
final class Mailbox {

    /** An event and when it was posted, so waiting time in the box counts as the platform's, not a provider's. */
    record Envelope(SessionEvent event, long postedNanos) {
    }

    private final ArrayBlockingQueue<Envelope> queue;
    private final int audioLimit;
    private final AtomicLong droppedAudio = new AtomicLong();

    Mailbox(int capacity) {
        if (capacity < 4) {
            throw new IllegalArgumentException("capacity must be at least 4");
        }
        queue = new ArrayBlockingQueue<>(capacity);
        audioLimit = capacity * 3 / 4;
    }

    /** Adds an envelope; false if refused (and, for audio, counted as dropped). */
    boolean offer(Envelope envelope) {
        if (envelope.event() instanceof SessionEvent.AudioReceived) {
            if (queue.size() >= audioLimit || !queue.offer(envelope)) {
                droppedAudio.incrementAndGet();
                return false;
            }
            return true;
        }
        return queue.offer(envelope);
    }

    Envelope poll() {
        return queue.poll();
    }

    Envelope take() throws InterruptedException {
        return queue.take();
    }

    int size() {
        return queue.size();
    }

    long droppedAudio() {
        return droppedAudio.get();
    }

    void clear() {
        queue.clear();
    }
}
