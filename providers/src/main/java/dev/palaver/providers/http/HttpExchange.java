package dev.palaver.providers.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP request whose response body is handed to a {@link Handler} as it arrives, under the timeouts
 * of its transport. The handler gets body bytes of a 2xx response in order, then either {@code onEnd}
 * or exactly one {@code onFailure}; it gets nothing more once it called {@link #finish()} or anyone
 * called {@link #cancel()}. Handler calls hold this exchange's lock, so a {@code cancel()} that returns
 * guarantees no handler call is running or will follow.
 *
 * <p>A watchdog virtual thread enforces the first-byte, idle-gap and total deadlines and exits when the
 * HTTP exchange is complete or cancelled. After {@code finish()} the rest of the body is drained (so the
 * connection can be reused) under the same idle and total deadlines, then cancelled if it lingers.
 */
public final class HttpExchange {

    private static final Logger log = LoggerFactory.getLogger(HttpExchange.class);
    private static final int MAX_ERROR_BODY = 16 * 1024;

    /** Receives one response. Methods run one at a time, on HTTP client or watchdog threads. */
    public interface Handler {
        /**
         * The status and headers of a 2xx response, before any of its body (to check its content type, say).
         * May throw a {@link ProviderException} to fail the exchange.
         */
        default void onResponse(HttpResponse.ResponseInfo info) {
        }

        /** Body bytes of a 2xx response. May call {@link #finish()}; may throw a {@link ProviderException}. */
        void onBody(ByteBuffer bytes);

        /** The server ended the body before {@link #finish()}: finish, or throw a {@link ProviderException}. */
        void onEnd();

        /** The exchange failed; the last call this handler gets. */
        void onFailure(ProviderFailure failure);
    }

    private enum State { CREATED, ACTIVE, DRAINING, ENDED }

    private final ProviderTransport transport;
    private final HttpRequest request;
    private final Handler handler;
    private final ReentrantLock lock = new ReentrantLock();
    private final HttpTimeouts timeouts;

    // Guarded by lock.
    private State state = State.CREATED;
    private Flow.Subscription subscription;
    private CompletableFuture<?> future;
    private int status = -1;
    private HttpHeaders headers;
    private boolean errorStatus;
    private ByteArrayOutputStream errorBody;
    private boolean bodySeen;

    private long totalDeadline;
    private volatile long deadline;
    private volatile boolean released;
    private volatile Thread watchdog;

    HttpExchange(ProviderTransport transport, HttpRequest request, Handler handler) {
        this.transport = transport;
        this.request = request;
        this.handler = handler;
        this.timeouts = transport.timeouts();
    }

    /** Sends the request. Handler calls may begin before this returns. */
    public void start() {
        Http1Client client = transport.http();
        lock.lock();
        try {
            if (state != State.CREATED) {
                return;
            }
            state = State.ACTIVE;
            long now = System.nanoTime();
            totalDeadline = now + timeouts.total().toNanos();
            deadline = Math.min(totalDeadline, now + timeouts.connect().toNanos() + timeouts.firstByte().toNanos());
            watchdog = Thread.ofVirtual().name("palaver-http-watchdog").start(this::watch);
            try {
                CompletableFuture<HttpResponse<Void>> sent = client.sendAsync(request, this::onHeaders);
                future = sent;
                sent.whenComplete((response, error) -> {
                    if (error != null) {
                        onTransportError(error);
                    }
                });
            } catch (RuntimeException e) {
                fail(Failures.forTransport(transport.provider(), e, false));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called by the handler once it has seen the logical end of the response: it gets no further calls.
     * The remaining body, if any, is drained in the background.
     */
    public void finish() {
        lock.lock();
        try {
            if (state == State.ACTIVE) {
                state = State.DRAINING;
                touch();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the exchange: cancels the request or the body subscription. No handler call follows. Idempotent. */
    public void cancel() {
        lock.lock();
        try {
            if (state == State.CREATED) {
                state = State.ENDED;
                released = true;
                transport.unregister(this);
                return;
            }
            state = State.ENDED;
            cancelHttp();
        } finally {
            lock.unlock();
        }
    }

    /** Fails the exchange with {@code failure} unless it has already ended (the transport is closing). */
    void abort(ProviderFailure failure) {
        lock.lock();
        try {
            if (state == State.CREATED) {
                state = State.ENDED;
                released = true;
                transport.unregister(this);
                handler.onFailure(transport.redact(failure));
                return;
            }
            fail(failure);
            if (state == State.DRAINING) {
                state = State.ENDED;
                cancelHttp();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code limit} for the watchdog to end (it ends promptly once the exchange is released). */
    void awaitWatchdog(java.time.Duration limit) throws InterruptedException {
        Thread w = watchdog;
        if (w != null) {
            w.join(limit);
        }
    }

    /** True once the HTTP exchange is complete or cancelled and the watchdog has nothing left to watch. */
    public boolean released() {
        return released;
    }

    private HttpResponse.BodySubscriber<Void> onHeaders(HttpResponse.ResponseInfo info) {
        lock.lock();
        try {
            status = info.statusCode();
            headers = info.headers();
            errorStatus = status / 100 != 2;
            if (errorStatus) {
                errorBody = new ByteArrayOutputStream();
            } else if (state == State.ACTIVE) {
                try {
                    handler.onResponse(info);
                } catch (ProviderException e) {
                    fail(e.failure());
                } catch (RuntimeException e) {
                    handlerBroke(e);
                }
            }
        } finally {
            lock.unlock();
        }
        return HttpResponse.BodySubscribers.fromSubscriber(new BodyReader());
    }

    private final class BodyReader implements Flow.Subscriber<List<ByteBuffer>> {

        @Override
        public void onSubscribe(Flow.Subscription s) {
            lock.lock();
            try {
                if (state == State.ENDED) {
                    s.cancel();
                    return;
                }
                subscription = s;
            } finally {
                lock.unlock();
            }
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            Flow.Subscription s;
            lock.lock();
            try {
                s = subscription;
                if (state == State.ENDED) {
                    return;
                }
                boolean any = false;
                for (ByteBuffer b : buffers) {
                    any |= b.hasRemaining();
                }
                if (any) {
                    bodySeen = true;
                    touch();
                }
                if (state == State.ACTIVE) {
                    deliver(buffers);
                }
                if (state == State.ENDED) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            s.request(1);
        }

        @Override
        public void onError(Throwable error) {
            onTransportError(error);
        }

        @Override
        public void onComplete() {
            lock.lock();
            try {
                markReleased();
                if (state != State.ACTIVE) {
                    return;
                }
                if (errorStatus) {
                    fail(statusFailure());
                    return;
                }
                try {
                    handler.onEnd();
                } catch (ProviderException e) {
                    fail(e.failure());
                } catch (RuntimeException e) {
                    handlerBroke(e);
                }
                if (state == State.ACTIVE) {
                    fail(new ProviderFailure(ProviderFailure.Kind.TRUNCATED,
                            transport.provider() + ": the response ended early"));
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void deliver(List<ByteBuffer> buffers) {
        if (errorStatus) {
            for (ByteBuffer b : buffers) {
                int room = MAX_ERROR_BODY - errorBody.size();
                int n = Math.min(room, b.remaining());
                if (n > 0) {
                    byte[] chunk = new byte[n];
                    b.get(chunk);
                    errorBody.write(chunk, 0, n);
                }
            }
            return;
        }
        try {
            for (ByteBuffer b : buffers) {
                handler.onBody(b);
                if (state != State.ACTIVE) {
                    return;
                }
            }
        } catch (ProviderException e) {
            fail(e.failure());
        } catch (RuntimeException e) {
            handlerBroke(e);
        }
    }

    private void onTransportError(Throwable error) {
        lock.lock();
        try {
            markReleased();
            if (state != State.ACTIVE) {
                return;
            }
            fail(errorStatus ? statusFailure() : Failures.forTransport(transport.provider(), error, status > 0));
        } finally {
            lock.unlock();
        }
    }

    private ProviderFailure statusFailure() {
        byte[] body = errorBody == null ? new byte[0] : errorBody.toByteArray();
        return Failures.forStatus(transport.provider(), status, headers, body, Instant.now());
    }

    /** Ends the exchange with a failure for the handler (if it is still listening) and stops the HTTP. */
    private void fail(ProviderFailure failure) {
        if (state != State.ACTIVE) {
            return;
        }
        state = State.ENDED;
        cancelHttp();
        ProviderFailure redacted = transport.redact(failure);
        log.debug("{}", redacted.safeMessage());
        try {
            handler.onFailure(redacted);
        } catch (RuntimeException e) {
            log.warn("{}: a listener threw {} on failure", transport.provider(), e.getClass().getName());
        }
    }

    private void handlerBroke(RuntimeException e) {
        log.warn("{}: a listener threw {} while handling the response", transport.provider(),
                e.getClass().getName());
        fail(new ProviderFailure(ProviderFailure.Kind.MALFORMED,
                transport.provider() + ": the response could not be handled (" + e.getClass().getSimpleName() + ")"));
    }

    /**
     * Once the body subscription exists, cancelling it stops the body and closes the connection; before
     * that, cancelling the future aborts the exchange.
     */
    private void cancelHttp() {
        if (subscription != null) {
            subscription.cancel();
        } else if (future != null && !future.isDone()) {
            future.cancel(true);
        }
        markReleased();
    }

    private void markReleased() {
        if (!released) {
            released = true;
            Thread w = watchdog;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    private void touch() {
        deadline = Math.min(totalDeadline, System.nanoTime() + timeouts.idle().toNanos());
    }

    private void watch() {
        try {
            while (!released) {
                long wait = deadline - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                } else if (expire()) {
                    return;
                }
            }
        } finally {
            transport.unregister(this);
        }
    }

    /** Ends the exchange if its deadline has passed; false if the deadline moved meanwhile. */
    private boolean expire() {
        lock.lock();
        try {
            if (released) {
                return true;
            }
            if (deadline - System.nanoTime() > 0) {
                return false;
            }
            if (state == State.ACTIVE) {
                fail(timeoutFailure());
            } else {
                state = State.ENDED;
                cancelHttp();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private ProviderFailure timeoutFailure() {
        String provider = transport.provider();
        if (System.nanoTime() - totalDeadline >= 0) {
            return new ProviderFailure(ProviderFailure.Kind.TOTAL_TIMEOUT,
                    provider + ": exceeded the total time limit of " + timeouts.total().toMillis() + " ms");
        }
        if (errorStatus) {
            return statusFailure();
        }
        if (!bodySeen) {
            return new ProviderFailure(ProviderFailure.Kind.FIRST_BYTE_TIMEOUT, provider + ": no response within "
                    + timeouts.firstByte().toMillis() + " ms (first-byte timeout)");
        }
        return new ProviderFailure(ProviderFailure.Kind.IDLE_TIMEOUT, provider + ": the stream stalled, no data for "
                + timeouts.idle().toMillis() + " ms (idle timeout)");
    }
}
