package dev.palaver.media.time;

import java.time.Duration;

/**
 * Time and delayed work for the call engine. Everything time-dependent in a call goes through one
 * scheduler, so tests can substitute {@link VirtualScheduler} and run whole calls on virtual time.
 * Tasks must be short: they post events to a call's mailbox, they do not do the work themselves.
 */
public interface Scheduler extends MonotonicClock {

    /** Runs {@code task} once after {@code delay} (zero or negative means as soon as possible). */
    Cancellable schedule(Duration delay, Runnable task);
}
