package dev.palaver.providers.resilience;

import dev.palaver.providers.http.ProviderFailure;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * What the resilience layer reports about provider calls, for a metrics system to record (the server's is
 * Micrometer; providers depend on none). Called from any thread; implementations must be quick and never
 * throw. Provider names are the names given in a {@link FallbackChain}; credentials appear only as
 * {@link dev.palaver.providers.http.ApiKey#fingerprint() fingerprints}, never as keys.
 */
public interface ProviderMetrics {

    /** Reports nothing. */
    ProviderMetrics NONE = new ProviderMetrics() {
    };

    /** Which capability a provider serves. */
    enum Capability {
        LLM, STT, TTS, EMBED;

        /** Lower case, for tags: {@code llm}, {@code stt}, {@code tts}, {@code embed}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How one attempt on one provider ended. */
    enum Outcome {
        /** It answered (for speech-to-text: it produced its first transcript). */
        SUCCESS,
        /** It failed, before or after its first output. */
        FAILURE,
        /** It produced nothing within the first-output budget and was given up on. */
        ABANDONED,
        /** The caller closed the request first. */
        CANCELLED;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A circuit breaker's state, with the gauge value it is exported as. */
    enum BreakerState {
        CLOSED(0), HALF_OPEN(1), OPEN(2);

        private final int gauge;

        BreakerState(int gauge) {
            this.gauge = gauge;
        }

        /** 0 closed, 1 half-open, 2 open. */
        public int gauge() {
            return gauge;
        }
    }

    /** An attempt on {@code provider} has started. */
    default void requestStarted(String provider, Capability capability) {
    }

    /**
     * An attempt has ended.
     *
     * @param firstOutput time from the attempt's start to its first output reaching the caller, if any did
     * @param total time from the attempt's start to its end
     */
    default void requestFinished(String provider, Capability capability, Outcome outcome,
            Optional<Duration> firstOutput, Duration total) {
    }

    /** A failed attempt on {@code provider} will be retried after {@code delay}. */
    default void retryScheduled(String provider, Capability capability, Duration delay) {
    }

    /** An attempt failed with {@code kind} (also an abandoned one: {@code FIRST_BYTE_TIMEOUT}). */
    default void failure(String provider, Capability capability, ProviderFailure.Kind kind) {
    }

    /** The breaker of {@code provider} with the credential of {@code fingerprint} changed state. */
    default void breakerStateChanged(String provider, String fingerprint, BreakerState state) {
    }
}
