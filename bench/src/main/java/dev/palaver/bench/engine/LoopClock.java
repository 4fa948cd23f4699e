package dev.palaver.bench.engine;

import dev.palaver.media.time.Cancellable;
import dev.palaver.media.time.Scheduler;
import java.time.Duration;

/**
 * A scheduler that passes everything to another and remembers the last clock reading taken on a virtual
 * thread. With one call in the JVM the only virtual thread is the call's loop, which reads the clock once
 * when it takes an event from its mailbox: inside the handling of inbound audio, before any other reading,
 * this is exactly the time the engine stamps on what the audio caused (such as the start of silence).
 */
final class LoopClock implements Scheduler {

    private final Scheduler delegate;
    private volatile long lastLoopReading;

    LoopClock(Scheduler delegate) {
        this.delegate = delegate;
    }

    @Override
    public long nanoTime() {
        long now = delegate.nanoTime();
        if (Thread.currentThread().isVirtual()) {
            lastLoopReading = now;
        }
        return now;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return delegate.schedule(delay, task);
    }

    long lastLoopReading() {
        return lastLoopReading;
    }
}
