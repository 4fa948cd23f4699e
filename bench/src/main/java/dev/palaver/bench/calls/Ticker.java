package dev.palaver.bench.calls;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The callers' clock: one platform thread that wakes every 20 ms on an absolute schedule (start + n × 20 ms,
 * so lateness never accumulates) and ticks every caller. How late it woke is recorded: a harness that
 * cannot keep up would show as the platform's pacing error otherwise.
 */
final class Ticker implements AutoCloseable {

    private final List<SimulatedCaller> callers = new CopyOnWriteArrayList<>();
    private final CallerMeasures measures;
    private final Thread thread;
    private volatile boolean running = true;

    Ticker(CallerMeasures measures) {
        this.measures = measures;
        this.thread = Thread.ofPlatform().name("caller-ticker").daemon().start(this::run);
    }

    void add(SimulatedCaller caller) {
        callers.add(caller);
    }

    void remove(SimulatedCaller caller) {
        callers.remove(caller);
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            next += TurnPlan.FRAME_NANOS;
            long wait;
            while ((wait = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long now = System.nanoTime();
            measures.tickLate((now - next) / 1e6);
            for (SimulatedCaller c : callers) {
                try {
                    c.tick(now);
                } catch (RuntimeException e) {
                    measures.error();
                    System.err.println("caller tick failed: " + e);
                }
            }
            if (now - next > 10 * TurnPlan.FRAME_NANOS) {
                // Hopelessly behind (a stalled machine): skip ahead rather than burst.
                next = now;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2_000);
    }
}
