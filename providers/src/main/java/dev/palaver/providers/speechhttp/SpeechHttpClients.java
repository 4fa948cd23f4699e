package dev.palaver.providers.speechhttp;

import java.net.http.HttpClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HttpClient each cloud speech provider owns, and how it is shut down. */
public final class SpeechHttpClients {

    private static final Logger log = LoggerFactory.getLogger(SpeechHttpClients.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private SpeechHttpClients() {
    }

    /**
     * HTTP/1.1 on purpose: each request in flight has a connection of its own, so a timeout or a cancel
     * closes exactly that connection, and a stalled connection never holds up other calls' streams as it
     * would when multiplexed over HTTP/2. Redirects are not followed (they would carry the key elsewhere).
     */
    public static HttpClient create(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Aborts what is in flight and waits for the client's threads to end. */
    public static void shutdown(HttpClient client) {
        client.shutdownNow();
        try {
            if (!client.awaitTermination(SHUTDOWN_WAIT)) {
                log.warn("HTTP client did not stop within {} ms", SHUTDOWN_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
