package dev.palaver.providers.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Why a provider request or stream failed, classified for a resilience layer (retry, circuit breaker,
 * fallback): the {@link Kind}, whether a retry can help, the wait the provider asked for, the HTTP status
 * when there was one (0 otherwise), and {@code safeMessage}, which names the provider and the failure. The
 * message never holds a credential, a request body or free text from the provider (only short identifier
 * codes), so it may be logged and shown.
 */
public record ProviderFailure(Kind kind, int httpStatus, Optional<Duration> retryAfter, String safeMessage) {

    public ProviderFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(safeMessage, "safeMessage");
        if (httpStatus < 0) {
            throw new IllegalArgumentException("httpStatus " + httpStatus);
        }
    }

    public ProviderFailure(Kind kind, String safeMessage) {
        this(kind, 0, Optional.empty(), safeMessage);
    }

    public ProviderFailure(Kind kind, Optional<Duration> retryAfter, String safeMessage) {
        this(kind, 0, retryAfter, safeMessage);
    }

    /** A failure without an HTTP status: {@code "<provider>: <what the kind means>[: <detail>]"}. */
    public static ProviderFailure of(String provider, Kind kind, String detail) {
        String message = provider + ": " + kind.description();
        if (detail != null && !detail.isBlank()) {
            message += ": " + detail;
        }
        return new ProviderFailure(kind, message);
    }

    /** Whether the same request may succeed if tried again (whether retrying is safe is the caller's call). */
    public boolean retryable() {
        return kind.retryable();
    }

    /** The same failure with another message (scrubbed, or prefixed by a caller). */
    public ProviderFailure withMessage(String message) {
        return new ProviderFailure(kind, httpStatus, retryAfter, message);
    }

    @Override
    public String toString() {
        return "ProviderFailure[" + kind + "] " + safeMessage;
    }

    /** What went wrong. {@link #retryable()} says whether the same request may succeed if tried again. */
    public enum Kind {
        /** 401: the key is missing, wrong or revoked. */
        AUTHENTICATION(false, "authentication failed"),
        /** 403: the key may not use this model, voice or feature. */
        PERMISSION(false, "permission denied"),
        /** 429 (or a rate-limit error event): too many requests or out of quota; see {@link #retryAfter()}. */
        RATE_LIMITED(true, "rate limited"),
        /** 5xx, 529 overloaded, or an internal error the provider reported in a stream. */
        SERVER_ERROR(true, "server error"),
        /** Another 4xx, or a request this provider cannot take (unknown model, text too long). */
        BAD_REQUEST(false, "request rejected"),
        /** The connection could not be made or broke before a response (refused, reset, TLS, name lookup). */
        CONNECT_FAILED(true, "connection failed"),
        /** The connection was not made within the connect timeout. */
        CONNECT_TIMEOUT(true, "connect timed out"),
        /** No answer within the first-byte timeout. */
        FIRST_BYTE_TIMEOUT(true, "no answer in time"),
        /** The provider went quiet mid-stream for longer than the idle gap. */
        IDLE_TIMEOUT(true, "stalled"),
        /** The request or stream ran past its total time cap. */
        TOTAL_TIMEOUT(false, "took too long"),
        /** The answer is not what the protocol promises (not JSON, not an event stream, not audio, wrong shape). */
        MALFORMED(false, "malformed response"),
        /** The answer was cut off: body or stream ended early, connection or socket closed abnormally. */
        TRUNCATED(true, "answer cut off"),
        /** A successful answer with nothing in it: no body, no audio. */
        EMPTY(true, "empty answer"),
        /** The provider was closed while the request was open, or before it was made. */
        CLOSED(false, "provider closed");

        private final boolean retryable;
        private final String description;

        Kind(boolean retryable, String description) {
            this.retryable = retryable;
            this.description = description;
        }

        public boolean retryable() {
            return retryable;
        }

        /** A few words for messages, e.g. "rate limited". */
        public String description() {
            return description;
        }
    }

    /**
     * Implemented by a listener (alongside the provider's own listener interface: LLM, speech-to-text or
     * text-to-speech) that wants failures classified, as a resilience layer does: providers then call
     * {@link #onFailure} <em>instead of</em> the listener's {@code onError}, as the one terminal call.
     */
    public interface Receiver {
        void onFailure(ProviderFailure failure);

        /** Hands {@code failure} to {@code listener} whole if it is a receiver, else its message to {@code onError}. */
        static void deliver(Object listener, ProviderFailure failure, Consumer<String> onError) {
            if (listener instanceof Receiver receiver) {
                receiver.onFailure(failure);
            } else {
                onError.accept(failure.safeMessage());
            }
        }
    }
}
