package dev.palaver.server.identity;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.palaver.server.platform.crypto.GeneratedSecrets;

/**
 * The keys access tokens are signed with. The current key signs; it and any previous keys verify, so a
 * key can be rotated without signing everybody out. Each key's id ({@code kid}) is derived from the key,
 * so nodes agree without coordination. Without a configured key (never in prod) one is generated once and
 * kept in the data directory, readable by its owner only.
 */
final class SigningKeys {

    private final String currentKid;
    private final Map<String, byte[]> byKid;

    private SigningKeys(List<byte[]> keys) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        for (byte[] key : keys) {
            map.put(kid(key), key);
        }
        this.byKid = Map.copyOf(map);
        this.currentKid = kid(keys.getFirst());
    }

    static SigningKeys of(String current, List<String> previous, Path dataDir) {
        byte[] currentKey = current == null || current.isBlank() ? generatedKey(dataDir) : current.getBytes(StandardCharsets.UTF_8);
        if (currentKey.length < 32) {
            throw new IllegalStateException("PALAVER_TOKEN_SIGNING_KEY must be at least 32 bytes");
        }
        var keys = new java.util.ArrayList<byte[]>();
        keys.add(currentKey);
        for (String p : previous) {
            if (p != null && p.getBytes(StandardCharsets.UTF_8).length >= 32) {
                keys.add(p.getBytes(StandardCharsets.UTF_8));
            }
        }
        return new SigningKeys(keys);
    }

    String currentKid() {
        return currentKid;
    }

    byte[] current() {
        return byKid.get(currentKid);
    }

    byte[] forKid(String kid) {
        return kid == null ? null : byKid.get(kid);
    }

    static String kid(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] generatedKey(Path dataDir) {
        return GeneratedSecrets.readOrCreate(dataDir.resolve("secrets").resolve("token-signing-key"), 48)
                .getBytes(StandardCharsets.UTF_8);
    }
}
