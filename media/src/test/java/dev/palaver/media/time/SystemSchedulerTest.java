package dev.palaver.media.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SystemSchedulerTest {

    @Test
    void runsTasksOnItsTimerThreadAndSurvivesFailingTasks() throws InterruptedException {
        try (SystemScheduler scheduler = new SystemScheduler()) {
            CountDownLatch done = new CountDownLatch(1);
            AtomicReference<String> thread = new AtomicReference<>();
            scheduler.schedule(Duration.ZERO, () -> {
                throw new IllegalStateException("boom");
            });
            scheduler.schedule(Duration.ofMillis(1), () -> {
                thread.set(Thread.currentThread().getName());
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(thread.get()).isEqualTo("palaver-timer");
        }
    }

    @Test
    void closeStopsTheTimerThreadAndDropsPendingTasks() throws InterruptedException {
        SystemScheduler scheduler = new SystemScheduler();
        AtomicReference<Thread> timer = new AtomicReference<>();
        CountDownLatch seen = new CountDownLatch(1);
        AtomicBoolean lateRan = new AtomicBoolean();
        scheduler.schedule(Duration.ZERO, () -> {
            timer.set(Thread.currentThread());
            seen.countDown();
        });
        scheduler.schedule(Duration.ofHours(1), () -> lateRan.set(true));
        assertThat(seen.await(10, TimeUnit.SECONDS)).isTrue();

        scheduler.close();

        assertThat(timer.get().isAlive()).isFalse();
        assertThat(lateRan).isFalse();
    }

    @Test
    void clockIsMonotonic() {
        try (SystemScheduler scheduler = new SystemScheduler()) {
            long a = scheduler.nanoTime();
            assertThat(scheduler.nanoTime()).isGreaterThanOrEqualTo(a);
        }
    }
}
