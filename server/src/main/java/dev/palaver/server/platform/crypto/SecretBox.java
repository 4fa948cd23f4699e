package dev.palaver.server.platform.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets kept in the database (provider keys, telephony tokens) with AES-256-GCM under
 * {@code PALAVER_ENCRYPTION_KEY}. Each value gets a fresh 96-bit nonce; the stored form is
 * {@code version(1) | nonce(12) | ciphertext+tag}. The associated data binds a value to where it is kept
 * (organization and field), so a ciphertext copied to another row does not decrypt. Without a configured
 * key (never in prod) one is generated once into the data directory.
 */
public final class SecretBox {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalStateException("PALAVER_ENCRYPTION_KEY must be 32 bytes (base64)");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    static SecretBox fromConfig(String base64Key, Path dataDir) {
        if (base64Key != null && !base64Key.isBlank()) {
            try {
                return new SecretBox(Base64.getDecoder().decode(base64Key.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("PALAVER_ENCRYPTION_KEY must be 32 bytes in base64");
            }
        }
        return new SecretBox(Base64.getDecoder().decode(
                GeneratedSecrets.readOrCreate(dataDir.resolve("secrets").resolve("encryption-key"), 32)));
    }

    public byte[] encrypt(String plaintext, String context) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** The plaintext; fails (without saying more) when the value was altered, moved or sealed under another key. */
    public String decrypt(byte[] stored, String context) {
        if (stored == null || stored.length < 1 + NONCE_BYTES + TAG_BITS / 8 || stored[0] != VERSION) {
            throw new IllegalStateException("not a sealed value");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 1, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sealed value could not be opened (wrong key or altered data)");
        }
    }

    /** What a secret looks like in an API answer: its last four characters at most. */
    public static String mask(String secret) {
        if (secret == null || secret.isEmpty()) {
            return "";
        }
        String tail = secret.length() >= 12 ? secret.substring(secret.length() - 4) : "";
        return "••••" + tail;
    }
}
