package dev.palaver.providers.speechhttp;

import dev.palaver.providers.speechhttp.ProviderFailure.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/** Turns HTTP statuses and I/O exceptions into {@link ProviderFailure}s with safe messages. */
public final class HttpFailures {

    /** Provider text quoted in a message is cut to this many characters. */
    static final int MAX_DETAIL_CHARS = 160;

    private HttpFailures() {
    }

    /**
     * Classifies a non-2xx answer. {@code body} is at most the start of the error body; a message the
     * provider put in it is quoted, redacted of {@code key} and cut short.
     */
    public static ProviderFailure fromStatus(String provider, int status, HttpHeaders headers, byte[] body, ApiKey key) {
        Kind kind = switch (status) {
            case 401 -> Kind.AUTHENTICATION;
            case 403 -> Kind.PERMISSION;
            case 429 -> Kind.RATE_LIMITED;
            case 408 -> Kind.FIRST_BYTE_TIMEOUT;
            default -> status >= 500 ? Kind.SERVER_ERROR : Kind.BAD_REQUEST;
        };
        Duration retryAfter = headers.firstValue("Retry-After")
                .map(v -> parseRetryAfter(v, Instant.now()))
                .orElse(null);
        return new ProviderFailure(provider, kind, status, retryAfter, errorDetail(body, key));
    }

    /**
     * Classifies an exception from connecting, sending or receiving. {@code answered} says whether the
     * provider had started to answer: a connection lost after that is a truncated answer.
     */
    public static ProviderFailure fromThrowable(String provider, Throwable thrown, boolean answered) {
        Throwable t = unwrap(thrown);
        if (t instanceof HttpConnectTimeoutException) {
            return ProviderFailure.of(provider, Kind.CONNECT_TIMEOUT, null);
        }
        if (t instanceof HttpTimeoutException) {
            return ProviderFailure.of(provider, Kind.FIRST_BYTE_TIMEOUT, null);
        }
        if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
            return ProviderFailure.of(provider, Kind.CONNECT_FAILED, simpleName(t));
        }
        if (t instanceof SSLException) {
            return ProviderFailure.of(provider, Kind.CONNECT_FAILED, "TLS failed");
        }
        if (t instanceof IOException) {
            return ProviderFailure.of(provider, Kind.TRUNCATED,
                    answered ? "connection lost mid-answer" : "connection closed before an answer");
        }
        return ProviderFailure.of(provider, Kind.SERVER_ERROR, "unexpected " + simpleName(t));
    }

    /**
     * A {@code Retry-After} value: delay seconds or an HTTP date. Null if it cannot be read; a date in
     * the past gives zero.
     */
    public static Duration parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /**
     * The provider's own explanation from an error body, if there is a readable one: the message field of
     * the usual JSON error shapes, else the text itself. Redacted, one line, at most 160 characters.
     */
    public static String errorDetail(byte[] body, ApiKey key) {
        if (body == null || body.length == 0) {
            return null;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        String detail = null;
        try {
            detail = messageIn(Json.parse(text));
        } catch (Json.MalformedJsonException notJson) {
            if (!text.stripLeading().startsWith("<")) {
                detail = text;
            }
        }
        return detail == null ? null : clean(key.redact(detail));
    }

    /** One line of printable text, at most {@link #MAX_DETAIL_CHARS} characters. */
    static String clean(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_DETAIL_CHARS));
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() < MAX_DETAIL_CHARS; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                space = !out.isEmpty();
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        return out.isEmpty() ? null : out.toString();
    }

    @SuppressWarnings("unchecked")
    private static String messageIn(Object json) {
        if (!(json instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, Object> m = (Map<String, Object>) map;
        // OpenAI {"error":{"message"}}, ElevenLabs {"detail":{"message"}} or {"detail":"..."},
        // Deepgram {"err_msg"}, and the plain {"message"} / {"error":"..."} of many others.
        for (String key : new String[] {"error", "detail"}) {
            Map<String, Object> nested = Json.object(m, key);
            if (nested != null && Json.string(nested, "message") != null) {
                return Json.string(nested, "message");
            }
            if (Json.string(m, key) != null) {
                return Json.string(m, key);
            }
        }
        for (String key : new String[] {"err_msg", "message", "description"}) {
            if (Json.string(m, key) != null) {
                return Json.string(m, key);
            }
        }
        return null;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String simpleName(Throwable t) {
        return t.getClass().getSimpleName();
    }
}
