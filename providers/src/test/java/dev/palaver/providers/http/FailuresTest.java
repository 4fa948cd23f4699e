package dev.palaver.providers.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
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
        assertThat(Failures.kindOf(401)).isEqualTo(ProviderFailure.Kind.AUTH);
        assertThat(Failures.kindOf(403)).isEqualTo(ProviderFailure.Kind.AUTH);
        assertThat(Failures.kindOf(429)).isEqualTo(ProviderFailure.Kind.RATE_LIMITED);
        assertThat(Failures.kindOf(408)).isEqualTo(ProviderFailure.Kind.TIMEOUT);
        assertThat(Failures.kindOf(500)).isEqualTo(ProviderFailure.Kind.SERVER);
        assertThat(Failures.kindOf(503)).isEqualTo(ProviderFailure.Kind.SERVER);
        assertThat(Failures.kindOf(529)).isEqualTo(ProviderFailure.Kind.SERVER);
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
                .isEqualTo(ProviderFailure.Kind.TIMEOUT);
        assertThat(Failures.forTransport("p", new ConnectException(), false).kind())
                .isEqualTo(ProviderFailure.Kind.CONNECTION);
        assertThat(Failures.forTransport("p", new IOException("EOF reached while reading"), true).kind())
                .isEqualTo(ProviderFailure.Kind.TRUNCATED);
        assertThat(Failures.forTransport("p", new IOException("secret detail"), false).safeMessage())
                .isEqualTo("p: connection failed (IOException)");
    }

    @Test
    void transientKindsAreMarked() {
        assertThat(ProviderFailure.Kind.RATE_LIMITED.transientFailure()).isTrue();
        assertThat(ProviderFailure.Kind.TIMEOUT.transientFailure()).isTrue();
        assertThat(ProviderFailure.Kind.AUTH.transientFailure()).isFalse();
        assertThat(ProviderFailure.Kind.BAD_REQUEST.transientFailure()).isFalse();
    }
}
