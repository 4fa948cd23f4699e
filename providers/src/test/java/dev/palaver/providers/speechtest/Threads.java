package dev.palaver.providers.speechtest;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/** Finds threads left behind: live threads whose names start with a prefix. */
public final class Threads {

    private Threads() {
    }

    public static Set<String> live(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix))
                .collect(Collectors.toSet());
    }

    /** Waits until no live thread's name starts with {@code prefix}; false if one still does. */
    public static boolean awaitNone(String prefix, Duration within) throws InterruptedException {
        return Await.until(within, () -> live(prefix).isEmpty());
    }
}
