package dev.palaver.providers.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK {@link HttpClient}s every {@link ProviderTransport} of this JVM opens its WebSockets on (requests go
 * through {@link Http1Client}): one per connect timeout (the one setting the JDK fixes per client rather than
 * per socket), each with a single selector thread, its work on one virtual-thread executor, and redirects
 * never followed. Sharing means one selector thread instead of one per provider instance and call.
 *
 * <p>The clients live as long as the JVM: nobody closes them (their selector threads are daemon threads and
 * idle without connections). A provider's {@link ProviderTransport#close()} aborts only its own WebSockets.
 */
public final class SharedHttpClients {

    private static final ExecutorService EXECUTOR =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("palaver-http-", 0).factory());
    private static final Map<Duration, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    private SharedHttpClients() {
    }

    /** The shared client whose connections give up after {@code connectTimeout}. */
    public static HttpClient forConnectTimeout(Duration connectTimeout) {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        return CLIENTS.computeIfAbsent(connectTimeout, SharedHttpClients::build);
    }

    /** Every shared client made so far (for leak checks: their selector threads are the baseline). */
    public static List<HttpClient> clients() {
        return List.copyOf(CLIENTS.values());
    }

    private static HttpClient build(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(EXECUTOR)
                .build();
    }
}
