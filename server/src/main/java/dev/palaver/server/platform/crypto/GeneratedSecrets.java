package dev.palaver.server.platform.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Keys a development install makes for itself when none is configured (prod refuses to start without
 * them): random bytes, base64, written once to a file only its owner can read, and the same on every
 * later start. Concurrent first starts agree on one file.
 */
public final class GeneratedSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private GeneratedSecrets() {
    }

    /** The base64 text in {@code file}, created with {@code bytes} random bytes when absent. */
    public static String readOrCreate(Path file, int bytes) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] raw = new byte[bytes];
                RANDOM.nextBytes(raw);
                Path tmp = Files.createTempFile(file.getParent(), "secret", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, Base64.getEncoder().encodeToString(raw), StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException raced) {
                    Files.deleteIfExists(tmp);
                }
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the generated secret in " + file, e);
        }
    }
}
