package dev.palaver.providers.speechhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palaver.providers.speechhttp.ProviderFailure.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class HttpFailuresTest {

    private static final ApiKey KEY = ApiKey.of("sk-live-abcdef123456");

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (a, b) -> true);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(HttpFailures.parseRetryAfter(" 30 ", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(HttpFailures.parseRetryAfter("Thu, 01 Jan 2026 00:01:30 GMT", now)).isEqualTo(Duration.ofSeconds(90));
        assertThat(HttpFailures.parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(HttpFailures.parseRetryAfter("-5", now)).isNull();
        assertThat(HttpFailures.parseRetryAfter("soon", now)).isNull();
        assertThat(HttpFailures.parseRetryAfter(null, now)).isNull();
    }

    @Test
    void statusesMapToKinds() {
        HttpHeaders none = headers(Map.of());
        assertThat(HttpFailures.fromStatus("P", 401, none, null, KEY).kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(HttpFailures.fromStatus("P", 403, none, null, KEY).kind()).isEqualTo(Kind.PERMISSION);
        assertThat(HttpFailures.fromStatus("P", 404, none, null, KEY).kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(HttpFailures.fromStatus("P", 408, none, null, KEY).kind()).isEqualTo(Kind.FIRST_BYTE_TIMEOUT);
        assertThat(HttpFailures.fromStatus("P", 502, none, null, KEY).kind()).isEqualTo(Kind.SERVER_ERROR);
        ProviderFailure limited = HttpFailures.fromStatus("P", 429, headers(Map.of("Retry-After", List.of("4"))), null, KEY);
        assertThat(limited.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(limited.retryAfter()).contains(Duration.ofSeconds(4));
        assertThat(limited.message()).isEqualTo("P: rate limited (HTTP 429), retry after 4000 ms");
    }

    @Test
    void theProvidersExplanationIsFoundInTheUsualShapesRedactedAndCut() {
        assertThat(detail("{\"error\":{\"message\":\"Bad key sk-live-abcdef123456\"}}")).isEqualTo("Bad key [redacted]");
        assertThat(detail("{\"detail\":{\"status\":\"quota\",\"message\":\"Quota exceeded\"}}")).isEqualTo("Quota exceeded");
        assertThat(detail("{\"detail\":\"Voice not found\"}")).isEqualTo("Voice not found");
        assertThat(detail("{\"err_code\":\"X\",\"err_msg\":\"Model not found\"}")).isEqualTo("Model not found");
        assertThat(detail("{\"error\":\"overloaded\"}")).isEqualTo("overloaded");
        assertThat(detail("plain\r\ntext\u0007 here")).isEqualTo("plain text here");
        assertThat(detail("<html><body>502</body></html>")).isNull();
        assertThat(detail("{\"unrelated\":1}")).isNull();
        assertThat(detail("x".repeat(500))).hasSize(HttpFailures.MAX_DETAIL_CHARS);
        assertThat(HttpFailures.errorDetail(new byte[0], KEY)).isNull();
    }

    private static String detail(String body) {
        return HttpFailures.errorDetail(body.getBytes(StandardCharsets.UTF_8), KEY);
    }

    @Test
    void exceptionsMapToKindsWithoutTheirMessages() {
        assertThat(HttpFailures.fromThrowable("P", new CompletionException(new HttpConnectTimeoutException("to host")), false)
                .kind()).isEqualTo(Kind.CONNECT_TIMEOUT);
        assertThat(HttpFailures.fromThrowable("P", new HttpTimeoutException("x"), false).kind())
                .isEqualTo(Kind.FIRST_BYTE_TIMEOUT);
        ProviderFailure refused = HttpFailures.fromThrowable("P", new ConnectException("http://h/?key=sk-live-abcdef123456"), false);
        assertThat(refused.kind()).isEqualTo(Kind.CONNECT_FAILED);
        assertThat(refused.message()).doesNotContain("sk-live");
        assertThat(HttpFailures.fromThrowable("P", new IOException("EOF"), true).message()).contains("mid-answer");
        assertThat(HttpFailures.fromThrowable("P", new IOException("EOF"), false).kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(HttpFailures.fromThrowable("P", new IllegalStateException(), false).kind()).isEqualTo(Kind.SERVER_ERROR);
    }

    @Test
    void apiKeysNeverPrintThemselvesAndCannotBreakAHeader() {
        assertThat(KEY.toString()).doesNotContain("abcdef");
        assertThat(ApiKey.none().isPresent()).isFalse();
        assertThat(ApiKey.of("  k  ").reveal()).isEqualTo("k");
        assertThatThrownBy(() -> ApiKey.of("k\r\nX-Evil: 1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("k\r\n");
        assertThatThrownBy(() -> ApiKey.of(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ApiKey.none().redact("text")).isEqualTo("text");
    }

    @Test
    void urlsAreBuiltFromTheBaseWithEncodedParametersAndSafePathSegments() {
        assertThat(SpeechUrls.build(java.net.URI.create("https://h/v1/"), "/audio/speech", Map.of()))
                .hasToString("https://h/v1/audio/speech");
        assertThat(SpeechUrls.build(java.net.URI.create("wss://h"), "/v1/listen", Map.of("keyterm", "a b&c")))
                .hasToString("wss://h/v1/listen?keyterm=a+b%26c");
        assertThatThrownBy(() -> SpeechUrls.build(java.net.URI.create("ftp://h"), "/x", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpeechUrls.build(java.net.URI.create("https://h?x=1"), "/x", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpeechUrls.pathSegment("..", "voice")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpeechUrls.pathSegment("a/b", "voice")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SpeechUrls.pathSegment("JBFq-nC_1.x", "voice")).isEqualTo("JBFq-nC_1.x");
    }

    @Test
    void timeoutsMustBePositive() {
        assertThatThrownBy(() -> new SpeechTimeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(SpeechTimeouts.synthesisDefaults().firstByte()).isPositive();
    }
}
