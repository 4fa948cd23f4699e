package dev.palaver.server.platform.config;

import java.nio.file.Path;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** Palaver's own settings, bound from application.yml where each is mapped to its PALAVER_* variable. */
@Validated
@ConfigurationProperties("palaver")
public record PalaverProperties(
        @NotNull Path dataDir,
        @Valid @NotNull Database database,
        String redisUrl,
        @Valid @NotNull Admin admin,
        String publicUrl,
        String encryptionKey,
        String metricsToken,
        String tokenSigningKey,
        @DefaultValue List<String> previousTokenSigningKeys,
        @Valid @NotNull Http http,
        @Valid @NotNull RateLimits rateLimits,
        @DefaultValue("500ms") java.time.Duration revocationCache) {

    public record Database(String url, String username, String password,
                           @DefaultValue("false") boolean allowEmbedded,
                           @DefaultValue("0") int embeddedPort) {
        public boolean embedded() {
            return url == null || url.isBlank();
        }
    }

    public record Admin(@DefaultValue("admin@palaver.local") String email, String password) {
    }

    public record Http(@DefaultValue("1MB") DataSize maxJsonBody,
                       @DefaultValue List<String> corsAllowedOrigins) {
    }

    /** Requests per minute: per client IP on sign-in endpoints, per member or API key elsewhere. */
    public record RateLimits(@DefaultValue("30") @jakarta.validation.constraints.Positive long authPerMinute,
                             @DefaultValue("600") @jakarta.validation.constraints.Positive long apiPerMinute) {
    }

    public boolean redisConfigured() {
        return redisUrl != null && !redisUrl.isBlank();
    }
}
