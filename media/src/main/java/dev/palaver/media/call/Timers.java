package dev.palaver.media.call;

import dev.palaver.media.call.SessionEvent.TimerFired;
import dev.palaver.media.time.Cancellable;
import dev.palaver.media.time.Scheduler;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The call's timers. A timer posts {@link TimerFired} to the call's mailbox; each arming gets a fresh
 * token so a timer that fired just before being re-armed or cancelled is recognised as stale.
 */
final class Timers {

    private record Key(TimerKind kind, String name) {
    }

    private record Armed(long token, Cancellable handle) {
    }

    private final Scheduler scheduler;
    private final Consumer<TimerFired> post;
    private final Map<Key, Armed> armed = new HashMap<>();
    private long nextToken;

    Timers(Scheduler scheduler, Consumer<TimerFired> post) {
        this.scheduler = scheduler;
        this.post = post;
    }

    void arm(TimerKind kind, Duration delay) {
        arm(kind, "", delay);
    }

    /** (Re-)arms the timer to fire after {@code delay}. */
    void arm(TimerKind kind, String name, Duration delay) {
        cancel(kind, name);
        long token = ++nextToken;
        TimerFired fired = new TimerFired(kind, name, token);
        armed.put(new Key(kind, name), new Armed(token, scheduler.schedule(delay, () -> post.accept(fired))));
    }

    void cancel(TimerKind kind) {
        cancel(kind, "");
    }

    void cancel(TimerKind kind, String name) {
        Armed old = armed.remove(new Key(kind, name));
        if (old != null) {
            old.handle().cancel();
        }
    }

    boolean isArmed(TimerKind kind) {
        return armed.containsKey(new Key(kind, ""));
    }

    /** True if {@code fired} is the current arming of its timer, which is then disarmed. */
    boolean take(TimerFired fired) {
        Key key = new Key(fired.kind(), fired.name());
        Armed current = armed.get(key);
        if (current == null || current.token() != fired.token()) {
            return false;
        }
        armed.remove(key);
        return true;
    }

    void cancelAll() {
        armed.values().forEach(a -> a.handle().cancel());
        armed.clear();
    }

    int armedCount() {
        return armed.size();
    }
}
