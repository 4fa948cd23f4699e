package dev.palaver.media.audio;

import java.lang.management.ManagementFactory;

/** Bytes the current thread allocates while running a piece of code, after warming it up. */
public final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    public interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} {@code times} times to warm up, then {@code times} times measured. */
    public static long bytesAllocated(int times, Body body) throws Exception {
        for (int i = 0; i < times; i++) {
            body.run();
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < times; i++) {
            body.run();
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }
}
