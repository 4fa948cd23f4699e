package dev.palaver.providers.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of one provider: its requests go through an {@link Http1Client} (a virtual thread per
 * exchange, connections kept alive across providers and calls), its WebSockets through a JDK
 * {@link HttpClient} made on first use; its timeouts, the exchanges in flight, and the secrets that must
 * never appear in a failure. Closing it fails the exchanges still open, stops its clients and waits
 * (bounded) for their threads and the exchanges' watchdogs to end.
 */
public final class ProviderTransport implements AutoCloseable {

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final String provider;
    private final HttpTimeouts timeouts;
    private final List<String> secrets;
    private final ExecutorService executor;
    private final Http1Client http;
    private HttpClient webSockets;
    private final boolean http11Only;
    private final Set<HttpExchange> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param provider a short name for messages (never a URL with credentials)
     * @param secrets  values scrubbed from every failure message (API keys, secret header values)
     */
    public ProviderTransport(String provider, HttpTimeouts timeouts, Collection<String> secrets) {
        this(provider, timeouts, secrets, false);
    }

    /**
     * @param http11Only HTTP/1.1 for https too: each request in flight then has a connection of its own,
     *     so a timeout or a cancel closes exactly that connection, and a stalled stream never holds up
     *     other calls' streams as it would when multiplexed over HTTP/2 (the speech providers' choice)
     */
    public ProviderTransport(String provider, HttpTimeouts timeouts, Collection<String> secrets, boolean http11Only) {
        this.http11Only = http11Only;
        this.provider = Objects.requireNonNull(provider, "provider");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("palaver-http-", 0).factory());
        this.http = new Http1Client(timeouts.connect());
    }

    public String provider() {
        return provider;
    }

    public HttpTimeouts timeouts() {
        return timeouts;
    }

    Http1Client http() {
        return http;
    }

    private synchronized HttpClient webSocketClient() {
        if (webSockets == null) {
            HttpClient.Builder builder = HttpClient.newBuilder();
            if (http11Only) {
                builder.version(HttpClient.Version.HTTP_1_1);
            }
            webSockets = builder
                    .connectTimeout(timeouts.connect())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(executor)
                    .build();
        }
        return webSockets;
    }

    /**
     * A request builder for {@code uri}. Plain-http servers (local model servers) get HTTP/1.1 so no h2c
     * upgrade is attempted; https negotiates HTTP/2 by ALPN.
     */
    public HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        if (http11Only || "http".equalsIgnoreCase(uri.getScheme())) {
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        return builder;
    }

    /**
     * A WebSocket builder on this transport's client; the client is shut down with the transport, so close
     * the sockets first. Handshake failures are classified with {@link Failures}.
     */
    public WebSocket.Builder webSocket() {
        if (closed) {
            throw new ProviderException(ProviderFailure.Kind.CLOSED, provider + ": the provider is closed");
        }
        return webSocketClient().newWebSocketBuilder();
    }

    /** A new exchange, not yet started; call {@link HttpExchange#start()}. */
    public HttpExchange exchange(HttpRequest request, HttpExchange.Handler handler) {
        if (closed) {
            throw new ProviderException(ProviderFailure.Kind.CLOSED, provider + ": the provider is closed");
        }
        HttpExchange exchange = new HttpExchange(this, request, handler);
        open.add(exchange);
        return exchange;
    }

    /** Exchanges started or created and not yet released (their watchdog still running). */
    public int openExchanges() {
        return open.size();
    }

    void unregister(HttpExchange exchange) {
        open.remove(exchange);
    }

    /** The failure with every secret scrubbed from its message. */
    public ProviderFailure redact(ProviderFailure failure) {
        String message = redact(failure.safeMessage());
        return message.equals(failure.safeMessage()) ? failure : failure.withMessage(message);
    }

    public String redact(String text) {
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, "[redacted]");
        }
        return out;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ProviderFailure closing = new ProviderFailure(ProviderFailure.Kind.CLOSED,
                provider + ": the provider was closed");
        List<HttpExchange> exchanges = List.copyOf(open);
        for (HttpExchange exchange : exchanges) {
            exchange.abort(closing);
        }
        http.shutdownNow();
        HttpClient sockets;
        synchronized (this) {
            sockets = webSockets;
        }
        if (sockets != null) {
            sockets.shutdownNow();
        }
        boolean interrupted = false;
        try {
            long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
            for (HttpExchange exchange : exchanges) {
                exchange.awaitWatchdog(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            http.awaitTermination(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (sockets != null) {
                sockets.awaitTermination(CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        executor.shutdown();
        try {
            executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
