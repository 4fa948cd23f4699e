package dev.palaver.server.platform.threads;

import java.util.Optional;

/**
 * How many carrier threads run the virtual threads. The JDK runs as many as the process has CPUs, so a
 * server limited to one CPU (a container's quota, or the call benchmark's {@code taskset}) gets one carrier:
 * a call loop busy with a frame (Silero, resampling, JSON) then holds every other call's 20 ms pace timer
 * until it yields. With two carriers the operating system interleaves them, and a woken loop runs at once.
 * Measured with {@code bench/run calls} on one core, four windows at 50 calls with two carriers against two
 * with one: pacing error p99 7–41 ms against 47–49 ms, barge-in → clear p99 14–44 ms against 35–118 ms, at the
 * same CPU (docs/benchmarks.md).
 * An explicit {@code -Djdk.virtualThreadScheduler.parallelism} is left alone.
 */
public final class CarrierThreads {

    static final String PROPERTY = "jdk.virtualThreadScheduler.parallelism";
    static final int MINIMUM = 2;

    private CarrierThreads() {
    }

    /** Sets the property when needed; call before the first virtual thread starts. */
    public static void configure() {
        parallelismFor(Runtime.getRuntime().availableProcessors(), System.getProperty(PROPERTY))
                .ifPresent(p -> System.setProperty(PROPERTY, p));
    }

    /** The parallelism to set for {@code cpus} CPUs, unless one is {@code configured}. */
    static Optional<String> parallelismFor(int cpus, String configured) {
        if (configured != null && !configured.isBlank()) {
            return Optional.empty();
        }
        return cpus < MINIMUM ? Optional.of(Integer.toString(MINIMUM)) : Optional.empty();
    }
}
