package dev.palaver.providers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ApiKeyTest {

    private static final ApiKey KEY = ApiKey.of("sk-live-abcdef123456");

    @Test
    void apiKeysNeverPrintThemselvesAndCannotBreakAHeader() {
        assertThat(KEY.toString()).doesNotContain("abcdef");
        assertThat(ApiKey.none().isPresent()).isFalse();
        assertThat(ApiKey.of("  k  ").reveal()).isEqualTo("k");
        assertThatThrownBy(() -> ApiKey.of("k\r\nX-Evil: 1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("k\r\n");
        assertThatThrownBy(() -> ApiKey.of(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ApiKey.none().redact("text")).isEqualTo("text");
        assertThat(KEY.redact("bad key sk-live-abcdef123456!")).isEqualTo("bad key [redacted]!");
    }

    @Test
    void fingerprintsAreShortStableAndRevealNothingOfTheKey() {
        String print = KEY.fingerprint();
        assertThat(print).matches("[0-9a-f]{8}");
        assertThat(ApiKey.of("sk-live-abcdef123456").fingerprint()).isEqualTo(print);
        assertThat(ApiKey.fingerprint("sk-live-abcdef123456")).isEqualTo(print);
        assertThat(ApiKey.of("sk-live-abcdef123457").fingerprint()).isNotEqualTo(print);
        assertThat("sk-live-abcdef123456").doesNotContain(print);
        assertThat(ApiKey.none().fingerprint()).isEqualTo("none");
        assertThat(ApiKey.fingerprint(null)).isEqualTo("none");
    }

    @Test
    void timeoutsMustBePositive() {
        assertThatThrownBy(() -> new HttpTimeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(HttpTimeouts.synthesis().firstByte()).isPositive();
        assertThat(HttpTimeouts.liveStream().total()).isEqualTo(Duration.ofHours(4));
    }
}
