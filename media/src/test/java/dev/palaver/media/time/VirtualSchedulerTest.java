package dev.palaver.media.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualSchedulerTest {

    private final VirtualScheduler clock = new VirtualScheduler();
    private final List<String> ran = new ArrayList<>();

    @Test
    void timeStandsStillUntilAdvanced() {
        clock.schedule(Duration.ZERO, () -> ran.add("now"));
        assertThat(ran).isEmpty();
        assertThat(clock.nanoTime()).isZero();
        clock.runDueTasks();
        assertThat(ran).containsExactly("now");
    }

    @Test
    void tasksRunInTimeOrderThenInSchedulingOrderAtTheirDueTime() {
        List<Long> at = new ArrayList<>();
        clock.schedule(Duration.ofMillis(30), () -> { ran.add("c"); at.add(clock.nanoTime()); });
        clock.schedule(Duration.ofMillis(10), () -> { ran.add("a"); at.add(clock.nanoTime()); });
        clock.schedule(Duration.ofMillis(10), () -> { ran.add("b"); at.add(clock.nanoTime()); });

        clock.advance(Duration.ofMillis(20));
        assertThat(ran).containsExactly("a", "b");
        assertThat(clock.nanoTime()).isEqualTo(20_000_000L);
        clock.advance(Duration.ofMillis(20));
        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(at).containsExactly(10_000_000L, 10_000_000L, 30_000_000L);
    }

    @Test
    void tasksScheduledByTasksRunInTheSameAdvanceWhenDue() {
        clock.schedule(Duration.ofMillis(5), () -> {
            ran.add("first");
            clock.schedule(Duration.ZERO, () -> ran.add("same time"));
            clock.schedule(Duration.ofMillis(5), () -> ran.add("later"));
            clock.schedule(Duration.ofMillis(50), () -> ran.add("too late"));
        });
        clock.advance(Duration.ofMillis(10));
        assertThat(ran).containsExactly("first", "same time", "later");
        assertThat(clock.pendingTasks()).isEqualTo(1);
    }

    @Test
    void cancelledTasksNeverRunAndAreNotPending() {
        Cancellable task = clock.schedule(Duration.ofMillis(5), () -> ran.add("x"));
        assertThat(clock.pendingTasks()).isEqualTo(1);
        task.cancel();
        task.cancel();
        assertThat(clock.pendingTasks()).isZero();
        clock.advance(Duration.ofMillis(10));
        assertThat(ran).isEmpty();
    }

    @Test
    void cancellingATaskThatRanChangesNothing() {
        Cancellable task = clock.schedule(Duration.ZERO, () -> ran.add("x"));
        clock.runDueTasks();
        task.cancel();
        assertThat(clock.pendingTasks()).isZero();
    }
}
