package dev.palaver.providers.speechhttp;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a provider request or stream failed, classified for a resilience layer: whether a retry can help,
 * how long the provider asked us to wait, and a message that is safe to log and to show (it never holds
 * a credential; provider text in it has been redacted and cut short).
 */
public final class ProviderFailure {

    /** What went wrong. {@link #retryable()} says whether the same request may succeed if tried again. */
    public enum Kind {
        /** 401: the key is missing, wrong or revoked. */
        AUTHENTICATION(false),
        /** 403: the key may not use this model, voice or feature. */
        PERMISSION(false),
        /** 429: too many requests or out of quota; see {@link #retryAfter()}. */
        RATE_LIMITED(true),
        /** 5xx, or the provider reported an internal error on a stream. */
        SERVER_ERROR(true),
        /** Another 4xx, or a request this provider cannot take (unknown model, text too long). */
        BAD_REQUEST(false),
        /** The connection could not be made (refused, unreachable, TLS failed). */
        CONNECT_FAILED(true),
        /** The connection was not made within the connect timeout. */
        CONNECT_TIMEOUT(true),
        /** No answer within the first-byte timeout. */
        FIRST_BYTE_TIMEOUT(true),
        /** The provider went quiet mid-stream for longer than the idle gap. */
        IDLE_TIMEOUT(true),
        /** The request or stream ran past its total time cap. */
        TOTAL_TIMEOUT(false),
        /** The provider answered with something that is not what its protocol promises. */
        MALFORMED_RESPONSE(false),
        /** The answer was cut off: body ended early, connection or socket closed abnormally. */
        TRUNCATED(true),
        /** A successful answer that held no audio. */
        EMPTY_AUDIO(true);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final String provider;
    private final Kind kind;
    private final int httpStatus;
    private final Duration retryAfter;
    private final String message;

    public ProviderFailure(String provider, Kind kind, int httpStatus, Duration retryAfter, String detail) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
        StringBuilder text = new StringBuilder(provider).append(": ").append(describe(kind));
        if (httpStatus > 0) {
            text.append(" (HTTP ").append(httpStatus).append(')');
        }
        if (retryAfter != null) {
            text.append(", retry after ").append(retryAfter.toMillis()).append(" ms");
        }
        if (detail != null && !detail.isBlank()) {
            text.append(": ").append(detail);
        }
        this.message = text.toString();
    }

    public static ProviderFailure of(String provider, Kind kind, String detail) {
        return new ProviderFailure(provider, kind, 0, null, detail);
    }

    /** The provider's name as it appears in messages, e.g. "Deepgram STT". */
    public String provider() {
        return provider;
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind.retryable();
    }

    /** The HTTP status that caused the failure, or 0 if there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    /** How long the provider asked us to wait before trying again ({@code Retry-After}), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Safe to log and to show: holds no credential. */
    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return "ProviderFailure[" + kind + "] " + message;
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case AUTHENTICATION -> "authentication failed";
            case PERMISSION -> "permission denied";
            case RATE_LIMITED -> "rate limited";
            case SERVER_ERROR -> "provider error";
            case BAD_REQUEST -> "request rejected";
            case CONNECT_FAILED -> "could not connect";
            case CONNECT_TIMEOUT -> "connect timed out";
            case FIRST_BYTE_TIMEOUT -> "no answer in time";
            case IDLE_TIMEOUT -> "stalled";
            case TOTAL_TIMEOUT -> "took too long";
            case MALFORMED_RESPONSE -> "malformed response";
            case TRUNCATED -> "answer cut off";
            case EMPTY_AUDIO -> "no audio in the answer";
        };
    }
}
