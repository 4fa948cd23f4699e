package dev.palaver.media.time;

/** A monotonic clock in nanoseconds, like {@link System#nanoTime()}: only differences are meaningful. */
@FunctionalInterface
public interface MonotonicClock {
    long nanoTime();

    /** Milliseconds elapsed since {@code startNanos} on this clock. */
    default long millisSince(long startNanos) {
        return (nanoTime() - startNanos) / 1_000_000;
    }
}
