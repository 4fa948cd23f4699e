package dev.palaver.providers.http;

import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Classifies HTTP statuses, transport exceptions and error bodies into {@link ProviderFailure}s, for every
 * provider (REST, event streams and WebSockets).
 */
public final class Failures {

    private static final Pattern SAFE_TOKEN = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    private Failures() {
    }

    /**
     * A failure for a non-2xx status; {@code body} (maybe empty: at most the start of the error body)
     * contributes only its error code, never free text.
     */
    public static ProviderFailure forStatus(String provider, int status, HttpHeaders headers, byte[] body,
            Instant now) {
        ProviderFailure.Kind kind = kindOf(status);
        Optional<Duration> retryAfter = retryAfter(headers, now);
        StringBuilder message = new StringBuilder(provider).append(": HTTP ").append(status).append(' ')
                .append(kind.description());
        String code = body == null || body.length == 0 ? null : errorCode(Json.tryParse(body));
        if (code != null) {
            message.append(" (").append(code).append(')');
        }
        retryAfter.ifPresent(d -> message.append(", retry after ").append(d.toMillis()).append(" ms"));
        return new ProviderFailure(kind, status, retryAfter, message.toString());
    }

    static ProviderFailure.Kind kindOf(int status) {
        return switch (status) {
            case 401 -> ProviderFailure.Kind.AUTHENTICATION;
            case 403 -> ProviderFailure.Kind.PERMISSION;
            case 429 -> ProviderFailure.Kind.RATE_LIMITED;
            case 408 -> ProviderFailure.Kind.FIRST_BYTE_TIMEOUT;
            default -> status >= 500 ? ProviderFailure.Kind.SERVER_ERROR : ProviderFailure.Kind.BAD_REQUEST;
        };
    }

    /**
     * The wait a server asked for: OpenAI's {@code retry-after-ms}, else {@code Retry-After} as seconds
     * or an HTTP date (RFC 9110 section 10.2.3). Empty if absent or unreadable.
     */
    public static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
        if (headers == null) {
            return Optional.empty();
        }
        Optional<String> millis = headers.firstValue("retry-after-ms");
        if (millis.isPresent()) {
            try {
                double ms = Double.parseDouble(millis.get().strip());
                if (ms >= 0 && ms < 1e12) {
                    return Optional.of(Duration.ofMillis((long) Math.ceil(ms)));
                }
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        return headers.firstValue("retry-after").flatMap(value -> parseRetryAfter(value, now));
    }

    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        if (v.matches("\\d{1,9}\\.\\d{1,9}")) {
            return Optional.of(Duration.ofMillis((long) Math.ceil(Double.parseDouble(v) * 1000)));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The error code of an error body, if it is a short identifier; never free text. Reads the usual
     * shapes: {@code {"error": {"code"|"type"}}} (OpenAI, Anthropic and most compatible servers),
     * {@code {"error": "code"}}, {@code {"detail": {"status"|"code"}}} (ElevenLabs), {@code {"err_code"}}
     * (Deepgram REST) and {@code {"variant"}} (Deepgram's streaming error message).
     */
    public static String errorCode(JsonNode body) {
        if (body == null || !body.isObject()) {
            return null;
        }
        String code = codeOf(body.get("error"));
        if (code == null) {
            code = safeToken(body.get("error"));
        }
        JsonNode detail = body.get("detail");
        if (code == null && detail != null && detail.isObject()) {
            code = safeToken(detail.get("status"));
            if (code == null) {
                code = safeToken(detail.get("code"));
            }
        }
        if (code == null) {
            code = safeToken(body.get("err_code"));
        }
        if (code == null) {
            code = safeToken(body.get("variant"));
        }
        return code;
    }

    /** The first word of a free-text reason (a WebSocket close reason, say) if it is a short identifier. */
    public static String leadingCode(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        String first = reason.strip().split("\\s+", 2)[0];
        return SAFE_TOKEN.matcher(first).matches() ? first : null;
    }

    /** The {@code code} or {@code type} of an error object, if it is a short identifier. */
    public static String codeOf(JsonNode error) {
        if (error == null || !error.isObject()) {
            return null;
        }
        String code = safeToken(error.get("code"));
        return code != null ? code : safeToken(error.get("type"));
    }

    /** The node's text if it is a short identifier ({@code [A-Za-z0-9_.-]}), else null. */
    public static String safeToken(JsonNode node) {
        if (node == null || !(node.isString() || node.isNumber())) {
            return null;
        }
        String text = node.isString() ? node.stringValue() : node.asString();
        return SAFE_TOKEN.matcher(text).matches() ? text : null;
    }

    /**
     * A failure for an exception from connecting, sending or receiving; {@code inBody} says the provider had
     * begun to answer (a connection lost after that is a truncated answer). Exception messages never reach
     * the failure: they may hold URLs or provider text.
     */
    public static ProviderFailure forTransport(String provider, Throwable error, boolean inBody) {
        Throwable t = unwrap(error);
        String type = t.getClass().getSimpleName();
        if (t instanceof HttpConnectTimeoutException) {
            return ProviderFailure.of(provider, ProviderFailure.Kind.CONNECT_TIMEOUT, null);
        }
        if (t instanceof HttpTimeoutException) {
            return ProviderFailure.of(provider, ProviderFailure.Kind.FIRST_BYTE_TIMEOUT, null);
        }
        boolean io = t instanceof IOException || t instanceof UnresolvedAddressException;
        if (inBody && io) {
            return new ProviderFailure(ProviderFailure.Kind.TRUNCATED,
                    provider + ": connection lost mid-answer (" + type + ")");
        }
        if (io) {
            return new ProviderFailure(ProviderFailure.Kind.CONNECT_FAILED,
                    provider + ": connection failed (" + type + ")");
        }
        return new ProviderFailure(ProviderFailure.Kind.CONNECT_FAILED, provider + ": request failed (" + type + ")");
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
