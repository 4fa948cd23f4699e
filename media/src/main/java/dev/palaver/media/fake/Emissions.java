package dev.palaver.media.fake;

import dev.palaver.media.time.Cancellable;
import dev.palaver.media.time.Scheduler;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/** The scheduled callbacks of one fake stream, so closing the stream calls them all off. */
final class Emissions {

    private final Scheduler scheduler;
    private final Set<Cancellable> pending = new HashSet<>();
    private boolean closed;

    Emissions(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Runs {@code action} after {@code delay} unless the stream is closed first. */
    synchronized void after(Duration delay, Runnable action) {
        if (closed) {
            return;
        }
        // The timer cannot run before the lock is released, by which time handle[0] is set.
        Cancellable[] handle = new Cancellable[1];
        handle[0] = scheduler.schedule(delay, () -> {
            synchronized (this) {
                if (closed || !pending.remove(handle[0])) {
                    return;
                }
            }
            action.run();
        });
        pending.add(handle[0]);
    }

    /** Closes; returns true the first time. */
    synchronized boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        pending.forEach(Cancellable::cancel);
        pending.clear();
        return true;
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
