package dev.palaver.server.platform.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.springframework.core.env.Environment;

/**
 * What the {@code prod} profile refuses to start without. Each problem names the environment variable
 * to set, never the value it found.
 */
public final class ProductionReadiness {

    static final int MIN_SIGNING_KEY_BYTES = 32;
    static final int MIN_ADMIN_PASSWORD_LENGTH = 12;
    private static final Set<String> WEAK_PASSWORDS = Set.of("password", "changeme", "change-me", "admin",
            "administrator", "palaver", "secret", "letmein", "123456789012", "passwordpassword");

    private ProductionReadiness() {
    }

    /** The first reason this environment is unfit for production, or empty when it is fit. */
    public static Optional<String> firstProblem(Environment env) {
        String signingKey = env.getProperty("palaver.token-signing-key", "");
        if (signingKey.isBlank()) {
            return Optional.of("PALAVER_TOKEN_SIGNING_KEY is missing (at least 32 random bytes, e.g. `openssl rand -base64 48`)");
        }
        if (signingKey.getBytes(StandardCharsets.UTF_8).length < MIN_SIGNING_KEY_BYTES) {
            return Optional.of("PALAVER_TOKEN_SIGNING_KEY is too short (at least 32 bytes)");
        }
        String encryptionKey = env.getProperty("palaver.encryption-key", "");
        if (encryptionKey.isBlank()) {
            return Optional.of("PALAVER_ENCRYPTION_KEY is missing (32 bytes, base64: `openssl rand -base64 32`)");
        }
        if (!isBase64Of32Bytes(encryptionKey)) {
            return Optional.of("PALAVER_ENCRYPTION_KEY must be 32 bytes in base64 (`openssl rand -base64 32`)");
        }
        String adminPassword = env.getProperty("palaver.admin.password", "");
        if (adminPassword.isBlank()) {
            return Optional.of("PALAVER_ADMIN_PASSWORD is missing (a generated password is not allowed in prod)");
        }
        if (adminPassword.length() < MIN_ADMIN_PASSWORD_LENGTH
                || WEAK_PASSWORDS.contains(adminPassword.toLowerCase(Locale.ROOT))) {
            return Optional.of("PALAVER_ADMIN_PASSWORD is weak (at least 12 characters, not a common password)");
        }
        boolean embedded = env.getProperty("palaver.database.url", "").isBlank();
        if (embedded && !env.getProperty("palaver.database.allow-embedded", Boolean.class, false)) {
            return Optional.of("PALAVER_DATABASE_URL is missing (or set PALAVER_ALLOW_EMBEDDED_DB=true to run prod on the embedded database)");
        }
        return Optional.empty();
    }

    static boolean isBase64Of32Bytes(String value) {
        try {
            return Base64.getDecoder().decode(value.strip()).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
