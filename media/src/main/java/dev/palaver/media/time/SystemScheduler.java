package dev.palaver.media.time;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real time: {@link System#nanoTime()} and one shared timer thread. Timer tasks only post events to
 * call mailboxes, so a single thread serves many calls. Close it when the engine shuts down.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SystemScheduler.class);

    private final ScheduledThreadPoolExecutor executor;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    public SystemScheduler() {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "palaver-timer");
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        });
        // Cancelled timers are removed at once: calls cancel far more timers than they let fire.
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> future = executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("Timer task failed", e);
            }
        }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /** Stops the timer thread, dropping tasks not yet run, and waits for it to end. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            // The pool counts as terminated while its thread is still on its way out: join it too.
            for (Thread thread : threads) {
                if (!thread.join(Duration.ofSeconds(5))) {
                    log.warn("Timer thread did not stop within 5 s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
