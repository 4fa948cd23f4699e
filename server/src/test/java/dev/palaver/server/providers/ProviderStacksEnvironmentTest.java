package dev.palaver.server.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.AbstractEnvironment;
import org.springframework.core.io.ClassPathResource;

/** The PALAVER_*_API_KEY variables reach {@link ProviderDefaults} through application.yml's explicit mapping. */
class ProviderStacksEnvironmentTest {

    private static ProviderDefaults bind(Map<String, Object> variables) throws IOException {
        AbstractEnvironment env = new AbstractEnvironment() { }; // no system variables: only the given ones
        env.getPropertySources().addFirst(new MapPropertySource("variables", variables));
        new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                .forEach(env.getPropertySources()::addLast);
        return Binder.get(env).bindOrCreate("palaver.providers", ProviderDefaults.class);
    }

    @Test
    void everyDefaultKeyComesFromItsVariableAndNeverPrints() throws IOException {
        ProviderDefaults defaults = bind(Map.of(
                "PALAVER_OPENAI_API_KEY", "sk-openai-default-123456",
                "PALAVER_OPENAI_BASE_URL", "http://127.0.0.1:11434/v1",
                "PALAVER_ANTHROPIC_API_KEY", "sk-ant-default-123456",
                "PALAVER_GROQ_API_KEY", "gsk-default-123456",
                "PALAVER_DEEPGRAM_API_KEY", "dg-default-123456",
                "PALAVER_ELEVENLABS_API_KEY", "el-default-123456"));

        assertThat(defaults.find("openai").orElseThrow().apiKey()).isEqualTo("sk-openai-default-123456");
        assertThat(defaults.find("openai").orElseThrow().baseUrl()).isEqualTo("http://127.0.0.1:11434/v1");
        assertThat(defaults.find("anthropic").orElseThrow().apiKey()).isEqualTo("sk-ant-default-123456");
        assertThat(defaults.find("groq").orElseThrow().apiKey()).isEqualTo("gsk-default-123456");
        assertThat(defaults.find("deepgram").orElseThrow().apiKey()).isEqualTo("dg-default-123456");
        assertThat(defaults.find("elevenlabs").orElseThrow().apiKey()).isEqualTo("el-default-123456");
        assertThat(defaults.find("elevenlabs").orElseThrow().baseUrl()).isNull();
        assertThat(defaults.toString()).doesNotContain("default-123456").contains("****");
        assertThat(defaults.find("openai").orElseThrow().toString()).doesNotContain("sk-openai-default-123456");
    }

    @Test
    void unsetVariablesMeanNoDefault() throws IOException {
        ProviderDefaults defaults = bind(Map.of());
        for (String provider : ProviderCredentials.PROVIDERS) {
            assertThat(defaults.find(provider)).as(provider).isEmpty();
        }
        assertThat(defaults.find("offline")).isEmpty();
    }
}
