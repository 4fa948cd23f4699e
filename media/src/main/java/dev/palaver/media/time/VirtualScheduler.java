package dev.palaver.media.time;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A scheduler on virtual time for tests and simulations. Time stands still until {@link #advance} moves
 * it; due tasks then run on the calling thread, in order of due time and, for equal times, in the order
 * they were scheduled. A task scheduled with no delay runs at the current virtual time, never inline.
 */
public final class VirtualScheduler implements Scheduler {

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now;
    private long sequence;
    private int pending;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(now + Math.max(0, delay.toNanos()), sequence++, task);
        queue.add(t);
        pending++;
        return () -> cancel(t);
    }

    // Cancelled tasks stay in the queue and are skipped when they come up: removal from the middle of a
    // heap is linear, and a busy simulation cancels many timers.
    private synchronized void cancel(Task task) {
        if (!task.cancelled && !task.ran) {
            task.cancelled = true;
            pending--;
        }
    }

    /** Moves time forward by {@code duration}, running every task that falls due on the way. */
    public void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = now + duration.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                Task head = queue.peek();
                if (head == null || head.due > target) {
                    now = Math.max(now, target);
                    return;
                }
                next = queue.poll();
                if (next.cancelled) {
                    continue;
                }
                next.ran = true;
                pending--;
                now = Math.max(now, next.due);
            }
            next.task.run();
        }
    }

    /** Runs every task due at the current time, including those they schedule with no delay. */
    public void runDueTasks() {
        advance(Duration.ZERO);
    }

    /** Tasks scheduled and neither run nor cancelled: a finished call must leave none. */
    public synchronized int pendingTasks() {
        return pending;
    }

    private static final class Task implements Comparable<Task> {
        final long due;
        final long sequence;
        final Runnable task;
        boolean cancelled;
        boolean ran;

        Task(long due, long sequence, Runnable task) {
            this.due = due;
            this.sequence = sequence;
            this.task = task;
        }

        @Override
        public int compareTo(Task other) {
            int byDue = Long.compare(due, other.due);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }
}
