package dev.palaver.providers.testing;

import dev.palaver.providers.http.Http1Client;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks that closing a provider leaves no HTTP client threads behind. */
public final class Leaks {

    private Leaks() {
    }

    /**
     * Live threads of the HTTP clients: the JDK client's platform threads (selector manager and workers, the
     * WebSockets') and the exchange threads of {@link Http1Client} (virtual, so not in {@code getAllStackTraces}).
     */
    public static Set<String> httpClientThreads() {
        Set<String> names = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("HttpClient-"))
                .collect(Collectors.toSet());
        names.addAll(Http1Client.exchangeThreads());
        return names;
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
