package dev.palaver.providers.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A provider credential that never prints itself: {@link #toString()} is masked, so a key cannot reach a
 * log line or an error message by accident. Only {@link #reveal()} gives the value, for the one header
 * that carries it.
 */
public final class ApiKey {

    private static final ApiKey NONE = new ApiKey("");
    private static final String REDACTED = "[redacted]";

    private final String value;

    private ApiKey(String value) {
        this.value = value;
    }

    /**
     * @throws IllegalArgumentException if the key is blank or holds a control character (which would let
     *     it break out of its header)
     */
    public static ApiKey of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("API key is blank");
        }
        String key = value.strip();
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new IllegalArgumentException("API key holds a control character");
            }
        }
        return new ApiKey(key);
    }

    /** No key: for OpenAI-compatible servers on the local network that need none. */
    public static ApiKey none() {
        return NONE;
    }

    public boolean isPresent() {
        return !value.isEmpty();
    }

    /** The key itself, for the authentication header and nothing else. */
    public String reveal() {
        return value;
    }

    /** {@code text} with every occurrence of this key replaced, for anything that echoes provider output. */
    public String redact(String text) {
        if (text == null || value.isEmpty()) {
            return text;
        }
        return text.replace(value, REDACTED);
    }

    /**
     * A short, stable name for this credential that reveals nothing of it: the first 8 hex digits of the
     * key's SHA-256, or {@code "none"}. For keying per-credential state (circuit breakers), never for auth.
     */
    public String fingerprint() {
        return fingerprint(value);
    }

    /** {@link #fingerprint()} of a raw key; {@code "none"} for null or blank. */
    public static String fingerprint(String key) {
        if (key == null || key.isBlank()) {
            return "none";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.strip().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return isPresent() ? "ApiKey[****]" : "ApiKey[none]";
    }
}
