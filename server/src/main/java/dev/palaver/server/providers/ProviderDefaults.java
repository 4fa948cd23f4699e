package dev.palaver.server.providers;

import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.palaver.server.providers.ProviderCredentials.Credential;

/**
 * Server-wide provider credentials from the environment ({@code PALAVER_OPENAI_API_KEY},
 * {@code PALAVER_OPENAI_BASE_URL}, {@code PALAVER_ANTHROPIC_API_KEY}, {@code PALAVER_GROQ_API_KEY},
 * {@code PALAVER_DEEPGRAM_API_KEY}, {@code PALAVER_ELEVENLABS_API_KEY}, mapped in {@code application.yml}),
 * used for an organization that has none of its own. {@code toString()} never shows a key.
 */
@ConfigurationProperties("palaver.providers")
public record ProviderDefaults(@DefaultValue Default openai, @DefaultValue Default anthropic,
        @DefaultValue Default groq, @DefaultValue Default deepgram, @DefaultValue Default elevenlabs) {

    /** One provider's default: a key (blank for none) and an optional base URL (blank for the vendor's). */
    public record Default(String apiKey, String baseUrl) {
        public static final Default NONE = new Default(null, null);

        @Override
        public String toString() {
            return "Default[" + (blank(apiKey) ? "none" : "****") + ", " + baseUrl + "]";
        }
    }

    /** No defaults at all. */
    public static ProviderDefaults none() {
        return new ProviderDefaults(Default.NONE, Default.NONE, Default.NONE, Default.NONE, Default.NONE);
    }

    /** The default credential for {@code provider}, when its key is set. */
    public Optional<Credential> find(String provider) {
        Default d = switch (provider) {
            case "openai" -> openai;
            case "anthropic" -> anthropic;
            case "groq" -> groq;
            case "deepgram" -> deepgram;
            case "elevenlabs" -> elevenlabs;
            default -> null;
        };
        if (d == null || blank(d.apiKey())) {
            return Optional.empty();
        }
        return Optional.of(new Credential(provider, d.apiKey().strip(), blank(d.baseUrl()) ? null : d.baseUrl().strip()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
