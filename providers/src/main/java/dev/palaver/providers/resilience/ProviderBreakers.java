package dev.palaver.providers.resilience;

import dev.palaver.media.time.MonotonicClock;
import dev.palaver.providers.http.ProviderException;
import dev.palaver.providers.http.ProviderFailure;
import dev.palaver.providers.resilience.ProviderMetrics.BreakerState;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One Resilience4j circuit breaker per provider <em>and credential</em>, shared by every decorator that uses
 * the provider (a bad key of one organization must not shut a provider off for the others). A breaker is
 * named {@code <provider>#<fingerprint>}: the key itself is never kept. A breaker opens when at least
 * {@link Settings#failureRatePercent()} of its last {@link Settings#window()} calls failed, skips its
 * provider for {@link Settings#openWait()}, then lets {@link Settings#halfOpenCalls()} trial calls through.
 * The move from open to half-open happens on the first request after the wait (no timer thread). A
 * rejected request ({@code BAD_REQUEST}) and a closed provider do not count against a breaker. Time comes
 * from the given clock, so tests can run breakers on virtual time. Thread-safe.
 */
public final class ProviderBreakers {

    /**
     * @param window calls the failure rate is computed over
     * @param minimumCalls calls needed before the rate is computed at all
     * @param failureRatePercent failure rate (of the window) that opens the breaker
     * @param openWait how long an open breaker skips its provider
     * @param halfOpenCalls trial calls let through once the wait is over
     */
    public record Settings(int window, int minimumCalls, float failureRatePercent, Duration openWait,
            int halfOpenCalls) {
        public Settings {
            if (window < 1 || minimumCalls < 1 || halfOpenCalls < 1) {
                throw new IllegalArgumentException("window, minimumCalls and halfOpenCalls must be at least 1");
            }
            if (!(failureRatePercent > 0 && failureRatePercent <= 100)) {
                throw new IllegalArgumentException("failureRatePercent must be in (0, 100]: " + failureRatePercent);
            }
            Objects.requireNonNull(openWait, "openWait");
            if (openWait.isNegative() || openWait.isZero()) {
                throw new IllegalArgumentException("openWait must be positive");
            }
        }

        /** Open at half of the last 10 calls failing (after at least 5), for 30 s; then 2 trial calls. */
        public static Settings defaults() {
            return new Settings(10, 5, 50, Duration.ofSeconds(30), 2);
        }

        /** Open after {@code failures} failures in a row. */
        public static Settings consecutiveFailures(int failures, Duration openWait) {
            return new Settings(failures, failures, 100, openWait, 1);
        }
    }

    private final CircuitBreakerConfig config;
    private final ProviderMetrics metrics;
    private final ConcurrentMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    public ProviderBreakers(Settings settings, MonotonicClock clock, ProviderMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.window())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRatePercent())
                .waitDurationInOpenState(settings.openWait())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .ignoreException(ProviderBreakers::ignored)
                .writableStackTraceEnabled(false)
                .clock(new MonotonicJavaClock(Objects.requireNonNull(clock, "clock")))
                .build();
    }

    /** The breaker of {@code provider} used with the credential whose fingerprint is {@code fingerprint}. */
    CircuitBreaker breaker(String provider, String fingerprint) {
        return breakers.computeIfAbsent(provider + "#" + fingerprint, name -> {
            CircuitBreaker breaker = CircuitBreaker.of(name, config);
            breaker.getEventPublisher().onStateTransition(event ->
                    metrics.breakerStateChanged(provider, fingerprint, state(event.getStateTransition().getToState())));
            metrics.breakerStateChanged(provider, fingerprint, BreakerState.CLOSED);
            return breaker;
        });
    }

    /** The state of a provider's breaker for one credential ({@code CLOSED} if it was never used). */
    public BreakerState state(String provider, String fingerprint) {
        CircuitBreaker breaker = breakers.get(provider + "#" + fingerprint);
        return breaker == null ? BreakerState.CLOSED : state(breaker.getState());
    }

    static BreakerState state(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED, DISABLED, METRICS_ONLY -> BreakerState.CLOSED;
            case HALF_OPEN -> BreakerState.HALF_OPEN;
            case OPEN, FORCED_OPEN -> BreakerState.OPEN;
        };
    }

    private static boolean ignored(Throwable error) {
        return error instanceof ProviderException e
                && (e.kind() == ProviderFailure.Kind.BAD_REQUEST || e.kind() == ProviderFailure.Kind.CLOSED);
    }

    /** The breakers' wall: a {@link Clock} whose instants follow a monotonic clock. */
    private static final class MonotonicJavaClock extends Clock {
        private final MonotonicClock clock;

        MonotonicJavaClock(MonotonicClock clock) {
            this.clock = clock;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.EPOCH.plusNanos(clock.nanoTime());
        }

        @Override
        public long millis() {
            return clock.nanoTime() / 1_000_000;
        }
    }
}
