package dev.palaver.providers.speechhttp;

import dev.palaver.media.time.Cancellable;
import dev.palaver.media.time.Scheduler;
import dev.palaver.providers.speechhttp.ProviderFailure.Kind;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP request whose answer is consumed as it streams in, under the four {@link SpeechTimeouts}: the
 * client's connect timeout, a first-byte deadline from the start, an idle gap between body chunks, and a
 * total cap. A non-2xx answer becomes a classified {@link ProviderFailure} (its body read up to a few KB
 * for the provider's explanation). Exactly one of {@link Handler#onEnd} or {@link Handler#onFailure} ends
 * a call that is not closed first; after {@link #close()} returns no handler method is called. Failing or
 * closing aborts the exchange, which closes its HTTP/1.1 connection.
 *
 * <p>Handler methods run one at a time under the call's lock, on HttpClient or timer threads.
 */
public final class StreamingHttpCall implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamingHttpCall.class);
    static final int MAX_ERROR_BODY_BYTES = 4 * 1024;

    /** Receives the answer. Methods may throw {@link ProviderFailureException} to fail the call. */
    public interface Handler {
        /** A 2xx answer's status and headers, before any of its body. */
        void onResponse(HttpResponse.ResponseInfo info);

        /** The next bytes of a 2xx answer's body. */
        void onBody(ByteBuffer bytes);

        /** The whole body has arrived. */
        void onEnd();

        /** The call failed; nothing follows. */
        void onFailure(ProviderFailure failure);
    }

    /**
     * @param provider name used in failure messages
     * @param key redacted from anything quoted from the provider
     */
    public record Spec(String provider, SpeechTimeouts timeouts, Scheduler scheduler, ApiKey key) {
        public Spec {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(timeouts, "timeouts");
            Objects.requireNonNull(scheduler, "scheduler");
            Objects.requireNonNull(key, "key");
        }
    }

    private final Spec spec;
    private final Handler handler;
    private final Scheduler scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    private final long idleNanos;

    private boolean done;
    private CompletableFuture<HttpResponse<Void>> exchange;
    private Flow.Subscription subscription;
    private Cancellable firstByteTimer = Cancellable.NONE;
    private Cancellable idleTimer = Cancellable.NONE;
    private Cancellable totalTimer = Cancellable.NONE;
    private long lastActivity;
    private ErrorBody errorBody;

    private StreamingHttpCall(Spec spec, Handler handler) {
        this.spec = spec;
        this.handler = handler;
        this.scheduler = spec.scheduler();
        this.idleNanos = spec.timeouts().idleGap().toNanos();
    }

    /** Sends {@code request} and streams its answer into {@code handler}. */
    public static StreamingHttpCall start(HttpClient client, HttpRequest request, Spec spec, Handler handler) {
        StreamingHttpCall call = new StreamingHttpCall(spec, Objects.requireNonNull(handler, "handler"));
        call.lock.lock();
        try {
            SpeechTimeouts t = spec.timeouts();
            call.firstByteTimer = call.scheduler.schedule(t.firstByte(),
                    () -> call.timedOut(Kind.FIRST_BYTE_TIMEOUT, "nothing received within " + t.firstByte().toMillis() + " ms"));
            call.totalTimer = call.scheduler.schedule(t.total(),
                    () -> call.timedOut(Kind.TOTAL_TIMEOUT, "not finished within " + t.total().toMillis() + " ms"));
            call.exchange = client.sendAsync(request, call::bodyHandler);
        } finally {
            call.lock.unlock();
        }
        call.exchange.whenComplete((response, error) -> {
            if (error != null) {
                call.fail(HttpFailures.fromThrowable(spec.provider(), error, false));
            }
        });
        return call;
    }

    /** Stops the call and releases its connection; no handler method is called once this returns. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (done) {
                return;
            }
            done = true;
            release();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the call has ended, failed or been closed. */
    public boolean isDone() {
        lock.lock();
        try {
            return done;
        } finally {
            lock.unlock();
        }
    }

    /** Fails the call from outside (a handler's own deadline, say); ignored once it is done. */
    public void fail(ProviderFailure failure) {
        lock.lock();
        try {
            if (done) {
                return;
            }
            done = true;
            release();
            log.debug("{}", failure.message());
            try {
                handler.onFailure(failure);
            } catch (RuntimeException e) {
                log.warn("{} failure listener threw {}", spec.provider(), e.getClass().getName());
            }
        } finally {
            lock.unlock();
        }
    }

    private HttpResponse.BodySubscriber<Void> bodyHandler(HttpResponse.ResponseInfo info) {
        lock.lock();
        try {
            if (done) {
                return new Body(false);
            }
            if (info.statusCode() / 100 != 2) {
                firstByteTimer.cancel();
                errorBody = new ErrorBody(info.statusCode(), info.headers());
                touch();
                return new Body(true);
            }
            try {
                handler.onResponse(info);
            } catch (ProviderFailureException e) {
                fail(e.failure());
            }
            return new Body(false);
        } finally {
            lock.unlock();
        }
    }

    private void timedOut(Kind kind, String detail) {
        lock.lock();
        try {
            if (done) {
                return;
            }
            if (errorBody != null) {
                // The status is known: that is the failure, whatever became of its body.
                fail(errorBody.failure());
            } else {
                fail(ProviderFailure.of(spec.provider(), kind, detail));
            }
        } finally {
            lock.unlock();
        }
    }

    private void touch() {
        boolean first = lastActivity == 0;
        lastActivity = scheduler.nanoTime();
        if (first) {
            idleTimer = scheduler.schedule(spec.timeouts().idleGap(), this::checkIdle);
        }
    }

    private void checkIdle() {
        lock.lock();
        try {
            if (done) {
                return;
            }
            long quiet = scheduler.nanoTime() - lastActivity;
            if (quiet >= idleNanos) {
                timedOut(Kind.IDLE_TIMEOUT, "nothing received for " + spec.timeouts().idleGap().toMillis() + " ms");
            } else {
                idleTimer = scheduler.schedule(Duration.ofNanos(idleNanos - quiet), this::checkIdle);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Cancels timers and the exchange. Caller holds the lock and has set {@code done}. */
    private void release() {
        firstByteTimer.cancel();
        idleTimer.cancel();
        totalTimer.cancel();
        if (subscription != null) {
            subscription.cancel();
        }
        if (exchange != null) {
            exchange.cancel(true);
        }
    }

    private final class ErrorBody {
        final int status;
        final HttpHeaders headers;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        ErrorBody(int status, HttpHeaders headers) {
            this.status = status;
            this.headers = headers;
        }

        /** False once enough has been read. */
        boolean add(ByteBuffer b) {
            int take = Math.min(b.remaining(), MAX_ERROR_BODY_BYTES - bytes.size());
            byte[] chunk = new byte[take];
            b.get(chunk);
            bytes.write(chunk, 0, take);
            return bytes.size() < MAX_ERROR_BODY_BYTES;
        }

        ProviderFailure failure() {
            return HttpFailures.fromStatus(spec.provider(), status, headers, bytes.toByteArray(), spec.key());
        }
    }

    private final class Body implements HttpResponse.BodySubscriber<Void> {
        private final boolean error;

        Body(boolean error) {
            this.error = error;
        }

        @Override
        public CompletionStage<Void> getBody() {
            // The response future completes at the headers; the body is followed through this subscriber.
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            lock.lock();
            try {
                if (done) {
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
            lock.lock();
            try {
                if (done) {
                    return;
                }
                if (error) {
                    touch();
                    for (ByteBuffer b : buffers) {
                        if (!errorBody.add(b)) {
                            fail(errorBody.failure());
                            return;
                        }
                    }
                } else {
                    for (ByteBuffer b : buffers) {
                        if (!b.hasRemaining()) {
                            continue;
                        }
                        if (lastActivity == 0) {
                            firstByteTimer.cancel();
                        }
                        touch();
                        handler.onBody(b);
                        if (done) {
                            return;
                        }
                    }
                }
            } catch (ProviderFailureException e) {
                fail(e.failure());
                return;
            } finally {
                lock.unlock();
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            lock.lock();
            try {
                if (error && errorBody != null) {
                    fail(errorBody.failure());
                } else {
                    fail(HttpFailures.fromThrowable(spec.provider(), throwable, true));
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onComplete() {
            lock.lock();
            try {
                if (done) {
                    return;
                }
                if (error) {
                    fail(errorBody.failure());
                    return;
                }
                try {
                    handler.onEnd();
                } catch (ProviderFailureException e) {
                    fail(e.failure());
                    return;
                }
                done = true;
                firstByteTimer.cancel();
                idleTimer.cancel();
                totalTimer.cancel();
            } finally {
                lock.unlock();
            }
        }
    }
}
