package dev.palaver.providers.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a provider request failed, classified for a resilience layer (retry, circuit breaker, fallback).
 * {@code safeMessage} names the provider and the failure; it never holds a credential, a request body or
 * free text from the provider, so it may be logged and shown.
 */
public record ProviderFailure(Kind kind, Optional<Duration> retryAfter, String safeMessage) {

    public ProviderFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(safeMessage, "safeMessage");
    }

    public ProviderFailure(Kind kind, String safeMessage) {
        this(kind, Optional.empty(), safeMessage);
    }

    public enum Kind {
        /** 401 or 403: the credential is wrong, revoked or lacks access. */
        AUTH(false),
        /** 429 (or a rate-limit error event); see {@link ProviderFailure#retryAfter()}. */
        RATE_LIMITED(true),
        /** 5xx, 529 overloaded, or a server error event in the stream. */
        SERVER(true),
        /** Another 4xx: the request or the configuration (model name, parameters) is wrong. */
        BAD_REQUEST(false),
        /** Connect, first-byte, idle-gap or total timeout. */
        TIMEOUT(true),
        /** Connection refused, reset before a response, TLS or name resolution failure. */
        CONNECTION(true),
        /** The response could not be understood (not JSON, not an event stream, wrong shape). */
        MALFORMED(false),
        /** The stream ended before its end marker. */
        TRUNCATED(true),
        /** A successful status with no body at all. */
        EMPTY(true);

        private final boolean transientFailure;

        Kind(boolean transientFailure) {
            this.transientFailure = transientFailure;
        }

        /** True if the same request may succeed later (whether retrying is safe is the caller's call). */
        public boolean transientFailure() {
            return transientFailure;
        }
    }

    /**
     * Implemented by a listener (alongside the provider's own listener interface) that wants failures
     * classified: providers then call {@link #onFailure} instead of the listener's {@code onError}, as the
     * stream's one terminal call.
     */
    public interface Receiver {
        void onFailure(ProviderFailure failure);
    }
}
