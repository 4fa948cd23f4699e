package dev.palaver.server.testing;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Locations inside this module's build directory ({@code server/target}). */
public final class TestDirs {
    private TestDirs() {
    }

    /** {@code server/target}, found from where the test classes were loaded. */
    public static Path target() {
        try {
            Path testClasses = Path.of(TestDirs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return testClasses.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
