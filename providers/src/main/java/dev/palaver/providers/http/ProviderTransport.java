package dev.palaver.providers.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP side of one provider: its requests go through an {@link Http1Client} (a virtual thread per
 * exchange, connections kept alive across providers and calls), its WebSockets through the JDK
 * {@link HttpClient} every provider of the JVM shares ({@link SharedHttpClients}); its timeouts, the
 * exchanges and WebSockets in flight, and the secrets that must never appear in a failure. Closing it fails
 * the exchanges still open, aborts its WebSockets and waits (bounded) for the exchanges' threads and
 * watchdogs to end; the shared client and other providers' sockets are untouched.
 */
public final class ProviderTransport implements AutoCloseable {

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final String provider;
    private final HttpTimeouts timeouts;
    private final List<String> secrets;
    private final Http1Client http;
    private final Set<HttpExchange> open = ConcurrentHashMap.newKeySet();
    private final Set<WebSocket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param provider a short name for messages (never a URL with credentials)
     * @param secrets  values scrubbed from every failure message (API keys, secret header values)
     */
    public ProviderTransport(String provider, HttpTimeouts timeouts, Collection<String> secrets) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
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

    /**
     * A request builder for {@code uri}. Every request goes out as HTTP/1.1 on a connection of its own
     * ({@link Http1Client}), so a timeout or a cancel closes exactly that request's connection.
     */
    public HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri);
    }

    /**
     * Opens a WebSocket to {@code uri} with {@code headers}, its opening handshake bounded by
     * {@code handshakeTimeout}, on the shared JDK client. The socket belongs to this transport:
     * {@link #close()} aborts it if it is still open, and a handshake that completes after the close is
     * aborted at once. Handshake failures are classified with {@link Failures}.
     */
    public CompletableFuture<WebSocket> webSocket(URI uri, Map<String, String> headers, Duration handshakeTimeout,
            WebSocket.Listener listener) {
        if (closed) {
            throw new ProviderException(ProviderFailure.Kind.CLOSED, provider + ": the provider is closed");
        }
        WebSocket.Builder builder = SharedHttpClients.forConnectTimeout(timeouts.connect()).newWebSocketBuilder()
                .connectTimeout(handshakeTimeout);
        headers.forEach(builder::header);
        // A handshake cannot be cancelled without leaking its connection: it runs to its end (bounded by
        // the handshake timeout) and the socket it opens after a close is aborted here.
        return builder.buildAsync(uri, listener).whenComplete((socket, error) -> {
            if (socket != null) {
                sockets.removeIf(s -> s.isInputClosed() && s.isOutputClosed());
                sockets.add(socket);
                if (closed) {
                    socket.abort();
                }
            }
        });
    }

    /** WebSockets opened by this transport and not yet known to be closed. */
    public int openWebSockets() {
        sockets.removeIf(s -> s.isInputClosed() && s.isOutputClosed());
        return sockets.size();
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
        for (WebSocket socket : List.copyOf(sockets)) {
            socket.abort();
        }
        sockets.clear();
        try {
            long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
            for (HttpExchange exchange : exchanges) {
                exchange.awaitWatchdog(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            http.awaitTermination(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
