package dev.palaver.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** The versioned migrations this build ships, read from the class path as Flyway reads them. */
public final class Migrations {
    private Migrations() {
    }

    public static List<String> versions() {
        try {
            return Arrays.stream(new PathMatchingResourcePatternResolver().getResources("classpath:db/migration/V*__*.sql"))
                    .map(r -> r.getFilename().substring(1, r.getFilename().indexOf("__")).replace('_', '.'))
                    .sorted(Comparator.comparing(Migrations::numeric))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String latest() {
        return versions().getLast();
    }

    private static Long numeric(String version) {
        return Long.parseLong(version.split("\\.")[0]);
    }
}
