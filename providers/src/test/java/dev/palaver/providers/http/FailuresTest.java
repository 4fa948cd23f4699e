package dev.palaver.providers.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (a, b) -> true);
    }

    @Test
    void statusesAreClassified() {
        assertThat(Failures.kindOf(401)).isEqualTo(ProviderFailure.Kind.AUTHENTICATION);
        assertThat(Failures.kindOf(403)).isEqualTo(ProviderFailure.Kind.PERMISSION);
        assertThat(Failures.kindOf(429)).isEqualTo(ProviderFailure.Kind.RATE_LIMITED);
        assertThat(Failures.kindOf(408)).isEqualTo(ProviderFailure.Kind.FIRST_BYTE_TIMEOUT);
        assertThat(Failures.kindOf(500)).isEqualTo(ProviderFailure.Kind.SERVER_ERROR);
        assertThat(Failures.kindOf(503)).isEqualTo(ProviderFailure.Kind.SERVER_ERROR);
        assertThat(Failures.kindOf(529)).isEqualTo(ProviderFailure.Kind.SERVER_ERROR);
        assertThat(Failures.kindOf(400)).isEqualTo(ProviderFailure.Kind.BAD_REQUEST);
        assertThat(Failures.kindOf(404)).isEqualTo(ProviderFailure.Kind.BAD_REQUEST);
    }

    @Test
    void retryAfterIsReadAsSecondsMillisecondsOrADate() {
        assertThat(Failures.retryAfter(headers(Map.of("Retry-After", List.of("12"))), NOW)).contains(Duration.ofSeconds(12));
        assertThat(Failures.retryAfter(headers(Map.of("retry-after", List.of("1.5"))), NOW)).contains(Duration.ofMillis(1500));
        assertThat(Failures.retryAfter(headers(Map.of("retry-after-ms", List.of("250"), "Retry-After", List.of("1"))), NOW))
                .contains(Duration.ofMillis(250));
        assertThat(Failures.retryAfter(headers(Map.of("Retry-After", List.of("Sun, 01 Mar 2026 10:00:30 GMT"))), NOW))
                .contains(Duration.ofSeconds(30));
        assertThat(Failures.retryAfter(headers(Map.of("Retry-After", List.of("Sun, 01 Mar 2026 09:00:00 GMT"))), NOW))
                .contains(Duration.ZERO);
    }

    @Test
    void unreadableRetryAfterIsAbsent() {
        assertThat(Failures.retryAfter(headers(Map.of("Retry-After", List.of("soon"))), NOW)).isEmpty();
        assertThat(Failures.retryAfter(headers(Map.of("Retry-After", List.of("-3"))), NOW)).isEmpty();
        assertThat(Failures.retryAfter(headers(Map.of("retry-after-ms", List.of("x"))), NOW)).isEmpty();
        assertThat(Failures.retryAfter(headers(Map.of()), NOW)).isEmpty();
    }

    @Test
    void onlyShortIdentifiersFromTheBodyReachTheMessage() {
        ProviderFailure coded = Failures.forStatus("groq", 400, headers(Map.of()),
                "{\"error\":{\"message\":\"call 555-0100 about it\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}"
                        .getBytes(), NOW);
        assertThat(coded.safeMessage()).isEqualTo("groq: HTTP 400 request rejected (model_not_found)");
        ProviderFailure freeText = Failures.forStatus("groq", 500, headers(Map.of()),
                "{\"error\":{\"type\":\"the database at 10.0.0.5 is down\"}}".getBytes(), NOW);
        assertThat(freeText.safeMessage()).isEqualTo("groq: HTTP 500 server error");
        ProviderFailure plain = Failures.forStatus("groq", 502, headers(Map.of()), "Bad Gateway".getBytes(), NOW);
        assertThat(plain.safeMessage()).isEqualTo("groq: HTTP 502 server error");
    }

    @Test
    void transportErrorsAreClassified() {
        assertThat(Failures.forTransport("p", new CompletionException(new HttpConnectTimeoutException("x")), false).kind())
                .isEqualTo(ProviderFailure.Kind.CONNECT_TIMEOUT);
        assertThat(Failures.forTransport("p", new ConnectException(), false).kind())
                .isEqualTo(ProviderFailure.Kind.CONNECT_FAILED);
        assertThat(Failures.forTransport("p", new IOException("EOF reached while reading"), true).kind())
                .isEqualTo(ProviderFailure.Kind.TRUNCATED);
        assertThat(Failures.forTransport("p", new IOException("secret detail"), false).safeMessage())
                .isEqualTo("p: connection failed (IOException)");
    }

    @Test
    void transientKindsAreMarked() {
        assertThat(ProviderFailure.Kind.RATE_LIMITED.retryable()).isTrue();
        assertThat(ProviderFailure.Kind.FIRST_BYTE_TIMEOUT.retryable()).isTrue();
        assertThat(ProviderFailure.Kind.IDLE_TIMEOUT.retryable()).isTrue();
        assertThat(ProviderFailure.Kind.AUTHENTICATION.retryable()).isFalse();
        assertThat(ProviderFailure.Kind.PERMISSION.retryable()).isFalse();
        assertThat(ProviderFailure.Kind.BAD_REQUEST.retryable()).isFalse();
        assertThat(ProviderFailure.Kind.TOTAL_TIMEOUT.retryable()).isFalse();
        assertThat(ProviderFailure.Kind.CLOSED.retryable()).isFalse();
    }

    @Test
    void retryAfterIsReadWhateverItsSpacingAndFromDatesInThePastAsZero() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(Failures.parseRetryAfter(" 30 ", now)).contains(Duration.ofSeconds(30));
        assertThat(Failures.parseRetryAfter("Thu, 01 Jan 2026 00:01:30 GMT", now)).contains(Duration.ofSeconds(90));
        assertThat(Failures.parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(Failures.parseRetryAfter("-5", now)).isEmpty();
        assertThat(Failures.parseRetryAfter("soon", now)).isEmpty();
        assertThat(Failures.parseRetryAfter(null, now)).isEmpty();
    }

    @Test
    void statusFailuresCarryTheStatusTheKindAndTheWait() {
        HttpHeaders none = headers(Map.of());
        assertThat(Failures.forStatus("P", 401, none, null, NOW).kind()).isEqualTo(ProviderFailure.Kind.AUTHENTICATION);
        assertThat(Failures.forStatus("P", 403, none, null, NOW).kind()).isEqualTo(ProviderFailure.Kind.PERMISSION);
        assertThat(Failures.forStatus("P", 404, none, null, NOW).kind()).isEqualTo(ProviderFailure.Kind.BAD_REQUEST);
        assertThat(Failures.forStatus("P", 408, none, null, NOW).kind()).isEqualTo(ProviderFailure.Kind.FIRST_BYTE_TIMEOUT);
        assertThat(Failures.forStatus("P", 502, none, null, NOW).kind()).isEqualTo(ProviderFailure.Kind.SERVER_ERROR);
        ProviderFailure limited = Failures.forStatus("P", 429, headers(Map.of("Retry-After", List.of("4"))), null, NOW);
        assertThat(limited.kind()).isEqualTo(ProviderFailure.Kind.RATE_LIMITED);
        assertThat(limited.httpStatus()).isEqualTo(429);
        assertThat(limited.retryable()).isTrue();
        assertThat(limited.retryAfter()).contains(Duration.ofSeconds(4));
        assertThat(limited.safeMessage()).isEqualTo("P: HTTP 429 rate limited, retry after 4000 ms");
        assertThat(new ProviderFailure(ProviderFailure.Kind.EMPTY, "P: empty").httpStatus()).isZero();
    }

    @Test
    void errorCodesAreFoundInTheUsualShapesAndFreeTextNever() {
        assertThat(code("{\"error\":{\"message\":\"Bad key sk-live-abcdef123456\"}}")).isNull();
        assertThat(code("{\"detail\":{\"status\":\"quota_exceeded\",\"message\":\"Quota exceeded\"}}"))
                .isEqualTo("quota_exceeded");
        assertThat(code("{\"detail\":\"Voice not found\"}")).isNull();
        assertThat(code("{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Model not found\"}")).isEqualTo("INVALID_AUTH");
        assertThat(code("{\"error\":\"overloaded\"}")).isEqualTo("overloaded");
        assertThat(code("{\"type\":\"Error\",\"description\":\"Failed to decode\",\"variant\":\"DATA-0000\"}"))
                .isEqualTo("DATA-0000");
        assertThat(code("{\"unrelated\":1}")).isNull();
        assertThat(code("<html><body>502</body></html>")).isNull();
        ProviderFailure echoed = Failures.forStatus("P", 401, headers(Map.of()),
                "{\"error\":{\"message\":\"Incorrect API key provided: sk-live-abcdef123456\"}}".getBytes(), NOW);
        assertThat(echoed.safeMessage()).isEqualTo("P: HTTP 401 authentication failed");
        ProviderFailure text = Failures.forStatus("P", 500, headers(Map.of()), "plain\r\ntext here".getBytes(), NOW);
        assertThat(text.safeMessage()).isEqualTo("P: HTTP 500 server error");
    }

    @Test
    void onlyALeadingIdentifierOfAFreeTextReasonIsKept() {
        assertThat(Failures.leadingCode("NET-0001 no audio received sk-live-abcdef123456")).isEqualTo("NET-0001");
        assertThat(Failures.leadingCode("(oops) NET-0001")).isNull();
        assertThat(Failures.leadingCode("  ")).isNull();
        assertThat(Failures.leadingCode(null)).isNull();
    }

    private static String code(String body) {
        return Failures.errorCode(Json.tryParse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void transportExceptionsAreClassifiedWithoutTheirMessages() {
        assertThat(Failures.forTransport("P", new HttpTimeoutException("x"), false).kind())
                .isEqualTo(ProviderFailure.Kind.FIRST_BYTE_TIMEOUT);
        ProviderFailure refused = Failures.forTransport("P", new ConnectException("http://h/?key=sk-live-abcdef123456"), false);
        assertThat(refused.kind()).isEqualTo(ProviderFailure.Kind.CONNECT_FAILED);
        assertThat(refused.safeMessage()).doesNotContain("sk-live");
        ProviderFailure lost = Failures.forTransport("P", new IOException("EOF"), true);
        assertThat(lost.kind()).isEqualTo(ProviderFailure.Kind.TRUNCATED);
        assertThat(lost.safeMessage()).contains("mid-answer");
        assertThat(Failures.forTransport("P", new IOException("EOF"), false).kind())
                .isEqualTo(ProviderFailure.Kind.CONNECT_FAILED);
        ProviderFailure odd = Failures.forTransport("P", new IllegalStateException("sk-live-abcdef123456"), false);
        assertThat(odd.kind()).isEqualTo(ProviderFailure.Kind.CONNECT_FAILED);
        assertThat(odd.safeMessage()).isEqualTo("P: request failed (IllegalStateException)");
    }

    @Test
    void classifiedListenersGetTheFailureWholeAndOthersItsMessage() {
        ProviderFailure failure = new ProviderFailure(ProviderFailure.Kind.SERVER_ERROR, "P: HTTP 500 server error");
        java.util.List<Object> got = new java.util.ArrayList<>();
        ProviderFailure.Receiver receiver = got::add;
        ProviderFailure.Receiver.deliver(receiver, failure, got::add);
        ProviderFailure.Receiver.deliver(new Object(), failure, got::add);
        assertThat(got).containsExactly(failure, "P: HTTP 500 server error");
    }
}
