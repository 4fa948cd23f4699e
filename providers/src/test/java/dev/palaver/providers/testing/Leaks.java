package dev.palaver.providers.testing;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks that closing a provider leaves no HTTP client threads behind. */
public final class Leaks {

    private Leaks() {
    }

    /** Live platform threads of the JDK HTTP client (selector manager and workers). */
    public static Set<String> httpClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("HttpClient-"))
                .collect(Collectors.toSet());
    }

    /** True once every HTTP client thread not in {@code before} has ended, waiting up to {@code limit}. */
    public static boolean noNewHttpClientThreads(Set<String> before, Duration limit) {
        return Waits.until(() -> {
            Set<String> now = httpClientThreads();
            now.removeAll(before);
            return now.isEmpty();
        }, limit);
    }
}
