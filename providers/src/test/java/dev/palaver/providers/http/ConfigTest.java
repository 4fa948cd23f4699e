package dev.palaver.providers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palaver.providers.anthropic.AnthropicConfig;
import dev.palaver.providers.openai.OpenAiCompatibleConfig;
import dev.palaver.providers.openai.OpenAiEmbeddingConfig;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ConfigTest {

    private static final String KEY = "sk-live-Hn5Jw2Qx8Zc4Vb7";
    private static final String SECRET = "org-Kp3Lm9Rt";
    private static final URI BASE = URI.create("https://api.groq.com/openai/v1/");

    @Test
    void toStringMasksTheKeyAndHeaderValues() {
        String openai = OpenAiCompatibleConfig.builder(BASE, "llama").apiKey(KEY).header("OpenAI-Organization", SECRET)
                .build().toString();
        String anthropic = AnthropicConfig.builder(KEY, "claude").header("anthropic-beta", SECRET).build().toString();
        String embedding = OpenAiEmbeddingConfig.builder(BASE, "e5", 384).apiKey(KEY).header("X-Key", SECRET)
                .build().toString();
        for (String text : new String[] {openai, anthropic, embedding}) {
            assertThat(text).doesNotContain(KEY).doesNotContain(SECRET).contains("****");
        }
        assertThat(openai).contains("OpenAI-Organization").contains("https://api.groq.com/openai/v1,");
    }

    @Test
    void badKeysAreRejectedWithoutEchoingThem() {
        String bad = "sk-has a space-" + KEY;
        assertThatThrownBy(() -> OpenAiCompatibleConfig.builder(BASE, "m").apiKey(bad).build())
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain(KEY);
        assertThatThrownBy(() -> AnthropicConfig.builder("line\nbreak" + KEY, "m").build())
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain(KEY);
        assertThatThrownBy(() -> AnthropicConfig.builder(null, "m").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiKey is required");
    }

    @Test
    void headersTheProviderSetsCannotBeOverridden() {
        assertThatThrownBy(() -> OpenAiCompatibleConfig.builder(BASE, "m").header("authorization", "Bearer " + KEY).build())
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain(KEY);
        assertThatThrownBy(() -> AnthropicConfig.builder(KEY, "m").header("X-Api-Key", KEY).build())
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain(KEY);
        assertThatThrownBy(() -> OpenAiCompatibleConfig.builder(BASE, "m").header("Host", "x").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpenAiCompatibleConfig.builder(BASE, "m").header("X-Ok", "bad\r\n" + SECRET).build())
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain(SECRET);
    }

    @Test
    void baseUrlsCarryingCredentialsOrQueriesAreRejected() {
        assertThatThrownBy(() -> OpenAiCompatibleConfig.builder(URI.create("https://user:" + KEY + "@host/v1"), "m").build())
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain(KEY);
        assertThatThrownBy(() -> OpenAiCompatibleConfig.builder(URI.create("https://host/v1?key=" + KEY), "m").build())
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain(KEY);
        assertThatThrownBy(() -> OpenAiCompatibleConfig.builder(URI.create("ftp://host/v1"), "m").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nameDefaultsToTheHostAndSettingsAreChecked() {
        assertThat(OpenAiCompatibleConfig.builder(BASE, "m").build().name()).isEqualTo("api.groq.com");
        assertThat(OpenAiCompatibleConfig.builder(BASE, "m").name("groq").build().name()).isEqualTo("groq");
        assertThatThrownBy(() -> OpenAiCompatibleConfig.builder(BASE, "m").temperature(3).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpenAiCompatibleConfig.builder(BASE, "m").maxTokensParameter("tokens").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnthropicConfig.builder(KEY, "m").temperature(1.5).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpenAiEmbeddingConfig.builder(BASE, "m", 0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HttpTimeouts(java.time.Duration.ZERO, java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
