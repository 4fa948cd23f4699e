package dev.palaver.providers.speechhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpeechUrlsTest {

    @Test
    void urlsAreBuiltFromTheBaseWithEncodedParametersAndSafePathSegments() {
        assertThat(SpeechUrls.build(URI.create("https://h/v1/"), "/audio/speech", Map.of()))
                .hasToString("https://h/v1/audio/speech");
        assertThat(SpeechUrls.build(URI.create("wss://h"), "/v1/listen", Map.of("keyterm", "a b&c")))
                .hasToString("wss://h/v1/listen?keyterm=a+b%26c");
        assertThatThrownBy(() -> SpeechUrls.build(URI.create("ftp://h"), "/x", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpeechUrls.build(URI.create("https://h?x=1"), "/x", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpeechUrls.pathSegment("..", "voice")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpeechUrls.pathSegment("a/b", "voice")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SpeechUrls.pathSegment("JBFq-nC_1.x", "voice")).isEqualTo("JBFq-nC_1.x");
    }
}
