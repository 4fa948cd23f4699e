package dev.palaver.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.palaver.server.platform.db.EmbeddedPostgres;

/**
 * Base directories for {@link EmbeddedPostgres} instances that tests start and stop themselves. The
 * PostgreSQL binaries are extracted once under {@code server/target/test-postgres/binaries} and linked
 * into each directory, so a test pays for initdb, not for decompressing the archive again.
 */
public final class EmbeddedPostgresDirs {

    private EmbeddedPostgresDirs() {
    }

    /** Creates {@code baseDir} with the shared binaries linked in; returns it. */
    public static Path prepare(Path baseDir) {
        try {
            Files.createDirectories(baseDir);
            Path link = baseDir.resolve("binaries");
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, sharedBinaries());
            }
            return baseDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Path sharedBinaries() {
        Path base = TestDirs.target().resolve("test-postgres");
        Path binaries = base.resolve("binaries");
        if (!TestDatabases.sharedEmbeddedBinariesExtracted(binaries)) {
            // Only our launcher knows how to unpack its archive: starting it once on the shared directory does.
            // (When the shared fallback server runs, it holds that directory and has extracted them already.)
            EmbeddedPostgres.start(base, 0).close();
        }
        return binaries;
    }
}
