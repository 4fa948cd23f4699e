package dev.palaver.providers.http;

import java.io.IOException;
import java.net.ConnectException;
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
import javax.net.ssl.SSLException;
import tools.jackson.databind.JsonNode;

/** Classifies HTTP statuses, transport exceptions and error bodies into {@link ProviderFailure}s. */
public final class Failures {

    private static final Pattern SAFE_TOKEN = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    private Failures() {
    }

    /** A failure for a non-2xx status; {@code body} (maybe empty) contributes only its error type or code. */
    public static ProviderFailure forStatus(String provider, int status, HttpHeaders headers, byte[] body,
            Instant now) {
        ProviderFailure.Kind kind = kindOf(status);
        Optional<Duration> retryAfter = retryAfter(headers, now);
        StringBuilder message = new StringBuilder(provider).append(": HTTP ").append(status).append(' ')
                .append(describe(kind));
        String code = body == null || body.length == 0 ? null : errorCode(Json.tryParse(body));
        if (code != null) {
            message.append(" (").append(code).append(')');
        }
        retryAfter.ifPresent(d -> message.append(", retry after ").append(d.toMillis()).append(" ms"));
        return new ProviderFailure(kind, retryAfter, message.toString());
    }

    static ProviderFailure.Kind kindOf(int status) {
        if (status == 401 || status == 403) {
            return ProviderFailure.Kind.AUTH;
        }
        if (status == 429) {
            return ProviderFailure.Kind.RATE_LIMITED;
        }
        if (status == 408) {
            return ProviderFailure.Kind.TIMEOUT;
        }
        if (status >= 500) {
            return ProviderFailure.Kind.SERVER;
        }
        return ProviderFailure.Kind.BAD_REQUEST;
    }

    private static String describe(ProviderFailure.Kind kind) {
        return switch (kind) {
            case AUTH -> "authentication failed";
            case RATE_LIMITED -> "rate limited";
            case SERVER -> "server error";
            case TIMEOUT -> "request timeout";
            default -> "request rejected";
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
     * The error type or code of an error body ({@code {"error": {"type"|"code": ...}}} as OpenAI,
     * Anthropic and most compatible servers send), if it is a short identifier; never free text.
     */
    public static String errorCode(JsonNode body) {
        if (body == null) {
            return null;
        }
        return codeOf(body.get("error"));
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

    /** A failure for an exception from the transport; {@code inBody} says the response body had begun. */
    static ProviderFailure forTransport(String provider, Throwable error, boolean inBody) {
        Throwable t = unwrap(error);
        String type = t.getClass().getSimpleName();
        if (t instanceof HttpConnectTimeoutException) {
            return new ProviderFailure(ProviderFailure.Kind.TIMEOUT, provider + ": connect timed out");
        }
        if (t instanceof HttpTimeoutException) {
            return new ProviderFailure(ProviderFailure.Kind.TIMEOUT, provider + ": request timed out");
        }
        if (inBody) {
            return new ProviderFailure(ProviderFailure.Kind.TRUNCATED,
                    provider + ": connection lost during the response (" + type + ")");
        }
        if (t instanceof ConnectException || t instanceof UnresolvedAddressException
                || t instanceof SSLException || t instanceof IOException) {
            return new ProviderFailure(ProviderFailure.Kind.CONNECTION,
                    provider + ": connection failed (" + type + ")");
        }
        return new ProviderFailure(ProviderFailure.Kind.CONNECTION, provider + ": request failed (" + type + ")");
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
