package dev.palaver.providers.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSession;

/**
 * The HTTP/1.1 client of the providers' REST and streaming calls: each exchange runs on a virtual thread
 * of its own that writes the request and reads the answer with blocking socket calls, and hands body bytes
 * to the body subscriber the moment they arrive. The JDK's {@link HttpClient} moves every read from its
 * selector thread through its executor to the subscriber; on a loaded two-core machine those hand-offs
 * cost 2–3 ms per exchange, twice in every turn (the model's first token, the voice's first audio), and a
 * selector thread per client. Here a byte on the socket wakes the one thread that waits for it.
 *
 * <p>It offers what {@link HttpExchange} uses of the JDK client, with the JDK's contract: {@link #sendAsync}
 * completes its future exceptionally on a failure before the body (an {@link java.net.http.HttpConnectTimeoutException}
 * for a connect or TLS handshake timeout, an {@link HttpTimeoutException} when the request's own timeout
 * passes before the status line, an {@link IOException} otherwise); the body subscriber gets
 * {@code onSubscribe}, bytes as demanded, then {@code onComplete} or {@code onError}; cancelling the
 * subscription or the future closes the connection. Connections are kept alive in a process-wide
 * {@link Http1Pool} when an answer was read to its end; a request that fails on a kept connection before
 * any answer (the server closed it while idle) is sent once more on a new one. HTTP/1.1 only: every
 * provider serves it, and a connection per request in flight means a cancel closes exactly that request.
 */
public final class Http1Client {

    private static final Http1Pool SHARED_POOL = new Http1Pool();
    private static final Set<Thread> EXCHANGE_THREADS = ConcurrentHashMap.newKeySet();
    private static final java.util.concurrent.atomic.AtomicLong THREAD_NUMBERS = new java.util.concurrent.atomic.AtomicLong();
    /** Headers the client writes itself; a request's own values for them are not sent. */
    private static final Set<String> OWN_HEADERS = Set.of("host", "content-length", "connection",
            "transfer-encoding", "upgrade", "expect", "te", "trailer", "keep-alive");
    private static final int MAX_HEADERS = 256;

    private final Duration connectTimeout;
    private final Http1Pool pool;
    private final Set<Call<?>> live = ConcurrentHashMap.newKeySet();
    private volatile boolean shutdown;

    /** A client on the process-wide connection pool. */
    public Http1Client(Duration connectTimeout) {
        this(connectTimeout, SHARED_POOL);
    }

    Http1Client(Duration connectTimeout, Http1Pool pool) {
        this.connectTimeout = connectTimeout;
        this.pool = pool;
    }

    /** Closes the process-wide pool's idle connections to {@code uri}'s origin. */
    public static void closeIdleConnections(URI uri) {
        SHARED_POOL.clear(Http1Pool.Key.of(uri));
    }

    /** Names of the exchange threads running now, in the whole process (for leak checks). */
    public static Set<String> exchangeThreads() {
        Set<String> names = new java.util.HashSet<>();
        for (Thread t : EXCHANGE_THREADS) {
            if (t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }

    /** Sends {@code request} on a virtual thread of its own; see the class description for the contract. */
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
        if (shutdown) {
            result.completeExceptionally(new IOException("the client is shut down"));
            return result;
        }
        Call<T> call = new Call<>(request, handler, result);
        live.add(call);
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                call.abort();
            }
        });
        Thread thread = Thread.ofVirtual().name("palaver-http1-" + THREAD_NUMBERS.incrementAndGet()).unstarted(call::run);
        call.thread = thread;
        EXCHANGE_THREADS.add(thread);
        thread.start();
        return result;
    }

    /** Aborts every exchange in flight; later requests fail at once. */
    public void shutdownNow() {
        shutdown = true;
        live.forEach(Call::abort);
    }

    /** Waits until the exchanges' threads have ended; false if some still run after {@code limit}. */
    public boolean awaitTermination(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Call<?> call : List.copyOf(live)) {
            Thread t = call.thread;
            long left = deadline - System.nanoTime();
            if (t != null && (left <= 0 || !t.join(Duration.ofNanos(left)))) {
                return false;
            }
        }
        return true;
    }

    /** One exchange: its thread, connection and body subscription. */
    private final class Call<T> implements Flow.Subscription {

        private final HttpRequest request;
        private final HttpResponse.BodyHandler<T> handler;
        private final CompletableFuture<HttpResponse<T>> result;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition demanded = lock.newCondition();
        private volatile Thread thread;
        private volatile Http1Connection connection;
        /** Set once, by a cancel, an abort or a request of no items; the lock only guards waiting for demand. */
        private volatile boolean cancelled;
        private long demand;
        private HttpResponse.BodySubscriber<T> sink;

        Call(HttpRequest request, HttpResponse.BodyHandler<T> handler, CompletableFuture<HttpResponse<T>> result) {
            this.request = request;
            this.handler = handler;
            this.result = result;
        }

        void abort() {
            cancelled = true;
            Http1Connection c = connection;
            if (c != null) {
                c.abort();
            }
            lock.lock();
            try {
                demanded.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void run() {
            try {
                exchange();
            } finally {
                live.remove(this);
                EXCHANGE_THREADS.remove(Thread.currentThread());
            }
        }

        private void exchange() {
            Http1Pool.Key key;
            byte[] head;
            byte[] body;
            try {
                key = Http1Pool.Key.of(request.uri());
                body = RequestBodies.bytes(request);
                head = head(key, body);
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            Response response = null;
            while (response == null) {
                Http1Connection c = null;
                boolean reused = false;
                try {
                    c = pool.take(key);
                    reused = c != null;
                    if (c == null) {
                        c = Http1Connection.open(key, connectTimeout);
                    }
                    connection = c;
                    if (cancelled) {
                        throw new IOException("cancelled");
                    }
                    c.write(head);
                    c.write(body);
                    c.flush();
                    response = readHead(c);
                } catch (IOException e) {
                    if (c != null) {
                        c.close();
                    }
                    connection = null;
                    boolean closedWhileIdle = reused && !cancelled
                            && (e instanceof EOFException || e instanceof java.net.SocketException);
                    if (!closedWhileIdle) {
                        result.completeExceptionally(cancelled ? new IOException("cancelled") : e);
                        return;
                    }
                    // A kept connection the server had closed while it idled: once more on a new one.
                }
            }
            body(response);
        }

        private byte[] head(Http1Pool.Key key, byte[] body) {
            URI uri = request.uri();
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                path += "?" + uri.getRawQuery();
            }
            StringBuilder h = new StringBuilder(256);
            h.append(request.method()).append(' ').append(path).append(" HTTP/1.1\r\n");
            h.append("Host: ").append(key.authority()).append("\r\n");
            for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
                if (OWN_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                for (String value : header.getValue()) {
                    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                        throw new IllegalArgumentException("header value with a line break");
                    }
                    h.append(header.getKey()).append(": ").append(value).append("\r\n");
                }
            }
            if (body.length > 0 || RequestBodies.sendsBody(request)) {
                h.append("Content-Length: ").append(body.length).append("\r\n");
            }
            h.append("\r\n");
            return Http1Connection.ascii(h.toString());
        }

        private Response readHead(Http1Connection c) throws IOException {
            c.readTimeout(request.timeout().orElse(null));
            try {
                while (true) {
                    String statusLine = c.readLine();
                    int status = status(statusLine);
                    HttpHeaders headers = headers(c);
                    if (status >= 100 && status < 200 && status != 101) {
                        continue;
                    }
                    c.readTimeout(null);
                    return new Response(status, headers);
                }
            } catch (SocketTimeoutException e) {
                throw new HttpTimeoutException("request timed out");
            }
        }

        private void body(Response head) {
            Http1Connection c = connection;
            try {
                sink = handler.apply(head);
            } catch (RuntimeException e) {
                c.close();
                result.completeExceptionally(e);
                return;
            }
            sink.getBody().whenComplete((value, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(new Answer<>(request, head, value));
                }
            });
            sink.onSubscribe(this);
            try {
                Http1Body.End end = new Http1Body(c, request.method(), head.status, head.headers).stream(this::deliver);
                connection = null;
                if (end == Http1Body.End.STOPPED || cancelled) {
                    c.close();
                    result.completeExceptionally(new IOException("cancelled"));
                    return;
                }
                if (end == Http1Body.End.REUSABLE) {
                    pool.give(c);
                } else {
                    c.close();
                }
                sink.onComplete();
            } catch (IOException e) {
                c.close();
                if (cancelled) {
                    result.completeExceptionally(new IOException("cancelled"));
                } else {
                    sink.onError(e);
                }
            }
        }

        /** Hands one piece of body to the subscriber once it has asked for one; false once cancelled. */
        private boolean deliver(ByteBuffer piece) {
            if (!awaitDemandOrCancel()) {
                return false;
            }
            lock.lock();
            try {
                demand--;
            } finally {
                lock.unlock();
            }
            sink.onNext(List.of(piece));
            return true;
        }

        /** Waits for demand; false once cancelled. */
        private boolean awaitDemandOrCancel() {
            lock.lock();
            try {
                while (demand <= 0 && !cancelled) {
                    demanded.awaitUninterruptibly();
                }
                return !cancelled;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void request(long n) {
            lock.lock();
            try {
                if (n <= 0) {
                    abort();
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
                demanded.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void cancel() {
            abort();
        }
    }

    private static int status(String line) throws IOException {
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x status line");
        }
        try {
            int status = Integer.parseInt(line.substring(9, 12));
            if (status < 100 || status > 999) {
                throw new IOException("bad status");
            }
            return status;
        } catch (NumberFormatException e) {
            throw new IOException("bad status");
        }
    }

    private static HttpHeaders headers(Http1Connection c) throws IOException {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int count = 0;
        while (true) {
            String line = c.readLine();
            if (line.isEmpty()) {
                return HttpHeaders.of(map, (name, value) -> true);
            }
            if (++count > MAX_HEADERS) {
                throw new IOException("too many headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line");
            }
            map.computeIfAbsent(line.substring(0, colon).strip(), k -> new ArrayList<>(1))
                    .add(line.substring(colon + 1).strip());
        }
    }

    /** Status and headers, as the body handler sees them. */
    private record Response(int status, HttpHeaders headers) implements HttpResponse.ResponseInfo {
        @Override
        public int statusCode() {
            return status;
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    /** The completed exchange. */
    private record Answer<T>(HttpRequest request, Response head, T body) implements HttpResponse<T> {
        @Override
        public int statusCode() {
            return head.status;
        }

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return head.headers;
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
