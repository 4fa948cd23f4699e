package dev.palaver.server.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.env.AbstractEnvironment;
import org.springframework.core.env.MapPropertySource;

/** Each rule of the prod profile: what it refuses, and that it names the variable and never the value. */
class ProductionReadinessTest {

    private static final String SIGNING_KEY = "k".repeat(32);
    private static final String ENCRYPTION_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String ADMIN_PASSWORD = "correct-horse-battery-staple";

    private final Map<String, Object> settings = new HashMap<>(Map.of(
            "palaver.token-signing-key", SIGNING_KEY,
            "palaver.encryption-key", ENCRYPTION_KEY,
            "palaver.admin.password", ADMIN_PASSWORD,
            "palaver.database.url", "jdbc:postgresql://db.example.test:5432/palaver"));

    @Test
    void completeStrongConfigurationIsAccepted() {
        assertThat(problem()).isEmpty();
    }

    @Test
    void missingSigningKeyIsRefused() {
        settings.remove("palaver.token-signing-key");
        assertThat(problem()).hasValueSatisfying(p -> assertThat(p).startsWith("PALAVER_TOKEN_SIGNING_KEY is missing"));
        settings.put("palaver.token-signing-key", "   ");
        assertThat(problem()).hasValueSatisfying(p -> assertThat(p).startsWith("PALAVER_TOKEN_SIGNING_KEY is missing"));
    }

    @Test
    void signingKeyShorterThan32BytesIsRefused() {
        String shortKey = "s3cr3t-but-only-31-bytes-long!!";
        assertThat(shortKey).hasSize(31);
        settings.put("palaver.token-signing-key", shortKey);

        assertThat(problem()).hasValueSatisfying(p -> assertThat(p)
                .startsWith("PALAVER_TOKEN_SIGNING_KEY is too short").doesNotContain(shortKey));

        settings.put("palaver.token-signing-key", shortKey + "!");
        assertThat(problem()).isEmpty();
    }

    @Test
    void signingKeyLengthCountsBytesNotCharacters() {
        // 16 two-byte characters: 32 bytes in UTF-8.
        settings.put("palaver.token-signing-key", "é".repeat(16));
        assertThat(problem()).isEmpty();
        settings.put("palaver.token-signing-key", "é".repeat(15) + "e");
        assertThat(problem()).hasValueSatisfying(p -> assertThat(p).startsWith("PALAVER_TOKEN_SIGNING_KEY is too short"));
    }

    @Test
    void missingEncryptionKeyIsRefused() {
        settings.remove("palaver.encryption-key");
        assertThat(problem()).hasValueSatisfying(p -> assertThat(p).startsWith("PALAVER_ENCRYPTION_KEY is missing"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64 at all!", "c2hvcnQ=", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void malformedEncryptionKeyIsRefused(String key) {
        settings.put("palaver.encryption-key", key);

        assertThat(problem()).hasValueSatisfying(p -> assertThat(p)
                .startsWith("PALAVER_ENCRYPTION_KEY must be 32 bytes in base64").doesNotContain(key));
    }

    @Test
    void missingAdminPasswordIsRefusedBecauseAGeneratedOneIsNotAllowedInProd() {
        settings.remove("palaver.admin.password");
        assertThat(problem()).hasValueSatisfying(p -> assertThat(p).startsWith("PALAVER_ADMIN_PASSWORD is missing"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"short-pw", "passwordpassword", "PasswordPassword", "123456789012", "changeme"})
    void weakAdminPasswordIsRefused(String weak) {
        settings.put("palaver.admin.password", weak);

        assertThat(problem()).hasValueSatisfying(p -> assertThat(p).startsWith("PALAVER_ADMIN_PASSWORD is weak")
                .doesNotContain(weak));
    }

    @Test
    void embeddedDatabaseIsRefusedUnlessExplicitlyAllowed() {
        settings.remove("palaver.database.url");
        assertThat(problem()).hasValueSatisfying(p -> assertThat(p)
                .startsWith("PALAVER_DATABASE_URL is missing").contains("PALAVER_ALLOW_EMBEDDED_DB=true"));

        settings.put("palaver.database.allow-embedded", "false");
        assertThat(problem()).isPresent();

        settings.put("palaver.database.allow-embedded", "true");
        assertThat(problem()).isEmpty();
    }

    @Test
    void problemsAreReportedInOrderOneAtATime() {
        settings.clear();
        assertThat(problem()).hasValueSatisfying(p -> assertThat(p).startsWith("PALAVER_TOKEN_SIGNING_KEY"));
        settings.put("palaver.token-signing-key", SIGNING_KEY);
        assertThat(problem()).hasValueSatisfying(p -> assertThat(p).startsWith("PALAVER_ENCRYPTION_KEY"));
        settings.put("palaver.encryption-key", ENCRYPTION_KEY);
        assertThat(problem()).hasValueSatisfying(p -> assertThat(p).startsWith("PALAVER_ADMIN_PASSWORD"));
        settings.put("palaver.admin.password", ADMIN_PASSWORD);
        assertThat(problem()).hasValueSatisfying(p -> assertThat(p).startsWith("PALAVER_DATABASE_URL"));
    }

    /** An environment holding exactly {@link #settings}: no system properties or variables of this machine. */
    private Optional<String> problem() {
        AbstractEnvironment env = new AbstractEnvironment() {
        };
        env.getPropertySources().addFirst(new MapPropertySource("test", new HashMap<>(settings)));
        return ProductionReadiness.firstProblem(env);
    }
}
