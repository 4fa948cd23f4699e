package dev.palaver.media.call;

/** How a call's serial loop runs. */
public enum LoopMode {
    /** One virtual thread per call blocks on the mailbox (production). */
    VIRTUAL_THREAD,
    /**
     * The mailbox is drained by tasks on the call's scheduler, which must run its tasks one at a time
     * (both {@code VirtualScheduler} and {@code SystemScheduler} do). With a {@code VirtualScheduler} the
     * whole call runs on the test's thread, step by step, on virtual time.
     */
    ON_SCHEDULER
}
