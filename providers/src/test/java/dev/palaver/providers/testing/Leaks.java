package dev.palaver.providers.testing;

import dev.palaver.providers.http.Http1Client;
import dev.palaver.providers.http.SharedHttpClients;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks that closing a provider leaves no HTTP client threads behind. The shared WebSocket clients' selector
 * threads ({@link SharedHttpClients}, one per connect timeout, living as long as the JVM) are the baseline and
 * never count; any other JDK HTTP client thread does, and so does a live {@link Http1Client} exchange thread.
 */
public final class Leaks {

    /** The JDK's client {@code toString()} ends with its id, which names its selector thread. */
    private static final Pattern CLIENT_ID = Pattern.compile("\\((\\d+)\\)$");

    private Leaks() {
    }

    /**
     * Live threads of the HTTP clients: the JDK client's platform threads other than the shared clients'
     * selector threads, and the exchange threads of {@link Http1Client} (virtual, so not in
     * {@code getAllStackTraces}).
     */
    public static Set<String> httpClientThreads() {
        Set<String> shared = sharedSelectorThreads();
        Set<String> names = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("HttpClient-") && !shared.contains(name))
                .collect(Collectors.toSet());
        names.addAll(Http1Client.exchangeThreads());
        return names;
    }

    /** The names of the shared clients' selector threads. */
    public static Set<String> sharedSelectorThreads() {
        return SharedHttpClients.clients().stream().map(Leaks::selectorThread).collect(Collectors.toSet());
    }

    private static String selectorThread(HttpClient client) {
        Matcher m = CLIENT_ID.matcher(client.toString());
        if (!m.find()) {
            throw new AssertionError("cannot tell the selector thread of " + client);
        }
        return "HttpClient-" + m.group(1) + "-SelectorManager";
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
