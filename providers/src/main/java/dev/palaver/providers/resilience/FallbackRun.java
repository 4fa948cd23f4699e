package dev.palaver.providers.resilience;

import dev.palaver.media.time.Cancellable;
import dev.palaver.media.time.Scheduler;
import dev.palaver.providers.http.ProviderException;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.http.ProviderFailure;
import dev.palaver.providers.resilience.ProviderMetrics.Outcome;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request (a completion, a synthesis, a recognition stream) carried across a {@link FallbackChain}:
 * providers are tried in order; an open breaker skips its provider at once; a transient failure before
 * any output reached the caller is retried on the same provider after a backoff with jitter (or the
 * provider's Retry-After) while the retry budget lasts, any other failure moves on to the next provider;
 * an attempt that produces nothing within the first-output budget is abandoned for the next provider.
 * Once output has reached the caller, a failure goes to the caller as its error: half an answer is never
 * replayed.
 *
 * <p>Everything that touches the run's state runs as a task of its serial queue: provider callbacks,
 * timers and the caller's calls post tasks, and whichever thread finds the queue idle runs them one after
 * another. No lock is held while a provider is called, so a provider holding its own lock while it calls
 * back can never deadlock with the run. Calls to the caller's listener hold the delivery lock, which
 * {@link #close()} takes too: once {@code close()} returns, the listener hears nothing more.
 */
abstract class FallbackRun<T> {

    private static final Logger log = LoggerFactory.getLogger(FallbackRun.class);

    private final Fallbacks<T> setup;
    private final Object listener;
    private final Consumer<String> onError;
    private final Scheduler scheduler;
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final ReentrantLock delivery = new ReentrantLock();
    private volatile boolean closed;
    /** The caller got its terminal call; guarded by {@link #delivery}. */
    private boolean ended;

    // Confined to the serial queue.
    private final long requestStart;
    private final List<String> outcomes = new ArrayList<>();
    private int index = -1;
    private FallbackChain.Link<T> link;
    private CircuitBreaker breaker;
    private Retry.AsyncContext<Object> retry;
    private int attemptId;
    private AutoCloseable handle;
    /** An attempt holds a breaker permission whose outcome is not yet recorded. */
    private boolean inFlight;
    private long attemptStart;
    private long firstOutputAt = -1;
    private boolean outputStarted;
    private boolean finished;
    private Cancellable firstOutputTimer = Cancellable.NONE;
    private Cancellable backoffTimer = Cancellable.NONE;
    private ProviderFailure lastFailure;

    /**
     * @param listener the caller's listener: a {@link ProviderFailure.Receiver} gets the terminal failure
     *     whole, any other its message through {@code onError}
     */
    FallbackRun(Fallbacks<T> setup, Object listener, Consumer<String> onError) {
        this.setup = setup;
        this.listener = listener;
        this.onError = onError;
        this.scheduler = setup.scheduler();
        this.requestStart = scheduler.nanoTime();
    }

    /**
     * Starts attempt {@code attempt} on {@code provider} with a listener that is an {@link Attempt} of that
     * id; returns its handle.
     */
    protected abstract AutoCloseable open(T provider, int attempt);

    /** Whether the first-output budget runs from an attempt's start (else the subclass starts it). */
    protected boolean firstOutputClockAtStart() {
        return true;
    }

    /** Whether an attempt counts as a success at its first output (a stream that never ends by itself). */
    protected boolean settlesAtFirstOutput() {
        return false;
    }

    /** The first output of the run reached the caller. Runs on the serial queue. */
    protected void outputStarted() {
    }

    /** The current attempt's handle was let go of (failed, abandoned, closed). Runs on the serial queue. */
    protected void attemptEnded() {
    }

    final void start() {
        post(this::next);
    }

    /** Stops the run: closes the attempt in flight and cancels timers; no listener call follows. Idempotent. */
    public final void close() {
        delivery.lock();
        try {
            closed = true;
        } finally {
            delivery.unlock();
        }
        post(this::cleanUp);
    }

    final boolean isClosed() {
        return closed;
    }

    /** Runs {@code task} on the serial queue: now on this thread if the queue is idle, else after what is queued. */
    final void post(Runnable task) {
        inbox.add(task);
        if (queued.getAndIncrement() != 0) {
            return;
        }
        do {
            Runnable next = inbox.poll();
            try {
                next.run();
            } catch (RuntimeException e) {
                log.warn("{}: a resilience task threw {}", setup.capability().tag(), e.getClass().getName());
            }
        } while (queued.decrementAndGet() != 0);
    }

    /** Starts the first-output budget of the current attempt unless it runs or output has started. */
    final void startFirstOutputClock() {
        if (!inFlight || outputStarted || firstOutputAt >= 0 || firstOutputTimer != Cancellable.NONE) {
            return;
        }
        int id = attemptId;
        firstOutputTimer = scheduler.schedule(setup.policy().firstOutput(), () -> post(() -> firstOutputMissed(id)));
    }

    /**
     * The base of the listener an attempt's provider calls: passes its events into the run (events of an
     * attempt given up on are dropped). Its {@code onError} and {@code onFailure} serve every SPI listener.
     */
    class Attempt implements ProviderFailure.Receiver {
        private final int id;

        Attempt(int id) {
            this.id = id;
        }

        /** Output for the caller (text, a tool call, audio, a transcript). */
        final void output(Runnable toCaller) {
            post(() -> outputArrived(id, toCaller));
        }

        /** The attempt completed; {@code toCaller} is the caller's terminal call. */
        final void done(Runnable toCaller) {
            post(() -> completed(id, toCaller));
        }

        @Override
        public final void onFailure(ProviderFailure failure) {
            post(() -> attemptFailed(id, failure));
        }

        /** An unclassified error from a provider that only speaks {@code onError}. */
        public final void onError(String message) {
            onFailure(new ProviderFailure(Kind.SERVER_ERROR, setup.links().get(index).name() + ": " + message));
        }
    }

    private void next() {
        while (!closed) {
            index++;
            if (index >= setup.links().size()) {
                giveUp();
                return;
            }
            link = setup.links().get(index);
            breaker = setup.breakers().breaker(link.name(), link.fingerprint());
            if (breaker.tryAcquirePermission()) {
                retry = setup.retry(index).asyncContext();
                attempt();
                return;
            }
            outcomes.add(link.name() + ": skipped, circuit open");
        }
    }

    /** Starts an attempt on the current link. The caller holds a breaker permission. */
    private void attempt() {
        if (closed) {
            breaker.releasePermission();
            return;
        }
        int id = ++attemptId;
        attemptStart = scheduler.nanoTime();
        firstOutputAt = -1;
        firstOutputTimer = Cancellable.NONE;
        inFlight = true;
        setup.metrics().requestStarted(link.name(), setup.capability());
        try {
            handle = open(link.provider(), id);
        } catch (ProviderException e) {
            attemptFailed(id, e.failure());
            return;
        } catch (RuntimeException e) {
            // A provider refusing to start: closed (IllegalStateException) or unable to take the request.
            Kind kind = e instanceof IllegalStateException ? Kind.CLOSED : Kind.BAD_REQUEST;
            attemptFailed(id, ProviderFailure.of(link.name(), kind, "could not start (" + e.getClass().getSimpleName() + ")"));
            return;
        }
        if (firstOutputClockAtStart()) {
            startFirstOutputClock();
        }
    }

    private void outputArrived(int id, Runnable toCaller) {
        if (id != attemptId || !(inFlight || settledAttempt())) {
            return;
        }
        if (firstOutputAt < 0) {
            firstOutputAt = scheduler.nanoTime();
            firstOutputTimer.cancel();
            if (!outputStarted) {
                outputStarted = true;
                outputStarted();
            }
            if (settlesAtFirstOutput() && inFlight) {
                inFlight = false;
                long elapsed = firstOutputAt - attemptStart;
                breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
                retry.onComplete();
                setup.metrics().requestFinished(link.name(), setup.capability(), Outcome.SUCCESS,
                        Optional.of(Duration.ofNanos(elapsed)), Duration.ofNanos(elapsed));
            }
        }
        deliver(toCaller, false);
    }

    /** A stream attempt that produced output and is still open (its success already recorded). */
    private boolean settledAttempt() {
        return settlesAtFirstOutput() && firstOutputAt >= 0 && handle != null;
    }

    private void completed(int id, Runnable toCaller) {
        if (id != attemptId || !inFlight) {
            return;
        }
        inFlight = false;
        firstOutputTimer.cancel();
        handle = null;
        long elapsed = scheduler.nanoTime() - attemptStart;
        breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
        retry.onComplete();
        setup.metrics().requestFinished(link.name(), setup.capability(), Outcome.SUCCESS, firstOutput(),
                Duration.ofNanos(elapsed));
        finished = true;
        deliver(toCaller, true);
    }

    private void attemptFailed(int id, ProviderFailure failure) {
        if (id != attemptId || !(inFlight || settledAttempt())) {
            return;
        }
        firstOutputTimer.cancel();
        letGo();
        long elapsed = scheduler.nanoTime() - attemptStart;
        setup.metrics().failure(link.name(), setup.capability(), failure.kind());
        breaker.onError(elapsed, TimeUnit.NANOSECONDS, new ProviderException(failure));
        if (inFlight) {
            inFlight = false;
            setup.metrics().requestFinished(link.name(), setup.capability(), Outcome.FAILURE, firstOutput(),
                    Duration.ofNanos(elapsed));
        }
        lastFailure = failure;
        outcomes.add(failure.safeMessage());
        log.debug("{}", failure.safeMessage());
        if (outputStarted) {
            // Half an answer is never replayed: the caller decides (apology, its own stall fallback).
            finished = true;
            deliver(() -> ProviderFailure.Receiver.deliver(listener, failure, onError), true);
            return;
        }
        if (closed) {
            return;
        }
        long delayMillis = failure.retryable() ? retry.onError(new ProviderException(failure)) : -1;
        if (delayMillis >= 0 && withinBudget(delayMillis)) {
            setup.metrics().retryScheduled(link.name(), setup.capability(), Duration.ofMillis(delayMillis));
            int retrying = attemptId;
            backoffTimer = scheduler.schedule(Duration.ofMillis(delayMillis), () -> post(() -> retryNow(retrying)));
            return;
        }
        next();
    }

    private boolean withinBudget(long delayMillis) {
        long deadline = requestStart + setup.policy().retryBudget().toNanos();
        return scheduler.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis) <= deadline;
    }

    private void retryNow(int id) {
        if (id != attemptId || closed || finished) {
            return;
        }
        if (!breaker.tryAcquirePermission()) {
            outcomes.add(link.name() + ": skipped, circuit open");
            next();
            return;
        }
        attempt();
    }

    private void firstOutputMissed(int id) {
        if (id != attemptId || !inFlight || firstOutputAt >= 0) {
            return;
        }
        inFlight = false;
        letGo();
        long elapsed = scheduler.nanoTime() - attemptStart;
        ProviderFailure failure = ProviderFailure.of(link.name(), Kind.FIRST_BYTE_TIMEOUT,
                "no output within " + setup.policy().firstOutput().toMillis() + " ms");
        setup.metrics().failure(link.name(), setup.capability(), failure.kind());
        breaker.onError(elapsed, TimeUnit.NANOSECONDS, new ProviderException(failure));
        setup.metrics().requestFinished(link.name(), setup.capability(), Outcome.ABANDONED, Optional.empty(),
                Duration.ofNanos(elapsed));
        lastFailure = failure;
        outcomes.add(failure.safeMessage());
        log.debug("{}", failure.safeMessage());
        next();
    }

    private void giveUp() {
        finished = true;
        ProviderFailure last = lastFailure;
        String message = "no provider could answer: " + String.join("; ", outcomes);
        ProviderFailure failure = last == null
                ? new ProviderFailure(Kind.SERVER_ERROR, message)
                : new ProviderFailure(last.kind(), last.httpStatus(), last.retryAfter(), message);
        log.debug("{}", message);
        deliver(() -> ProviderFailure.Receiver.deliver(listener, failure, onError), true);
    }

    private void cleanUp() {
        firstOutputTimer.cancel();
        backoffTimer.cancel();
        if (inFlight) {
            inFlight = false;
            breaker.releasePermission();
            long elapsed = scheduler.nanoTime() - attemptStart;
            setup.metrics().requestFinished(link.name(), setup.capability(), Outcome.CANCELLED, firstOutput(),
                    Duration.ofNanos(elapsed));
        }
        letGo();
    }

    /** Closes the current attempt's handle, if any. */
    private void letGo() {
        AutoCloseable h = handle;
        handle = null;
        if (h != null) {
            try {
                h.close();
            } catch (Exception e) {
                log.warn("{}: closing an attempt threw {}", link.name(), e.getClass().getName());
            }
            attemptEnded();
        }
    }

    private Optional<Duration> firstOutput() {
        return firstOutputAt < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(firstOutputAt - attemptStart));
    }

    /** Calls the caller's listener unless the run is closed or ended; {@code terminal} ends it. */
    private void deliver(Runnable toCaller, boolean terminal) {
        delivery.lock();
        try {
            if (closed || ended) {
                return;
            }
            if (terminal) {
                ended = true;
            }
            toCaller.run();
        } catch (RuntimeException e) {
            log.warn("{}: the listener threw {}", setup.capability().tag(), e.getClass().getName());
        } finally {
            delivery.unlock();
        }
    }
}
