package dev.palaver.server.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palaver.server.testing.JavaProcess;

/** {@code SPRING_PROFILES_ACTIVE=prod} without secrets: the real main exits 78 with one line naming the setting. */
class ProductionStartupRefusalTest {

    @Test
    void prodWithoutSecretsExits78WithOneLineNamingTheSigningKey(@TempDir Path dir) {
        try (JavaProcess palaver = JavaProcess.start("dev.palaver.server.PalaverApplication",
                Map.of("SPRING_PROFILES_ACTIVE", "prod", "PALAVER_DATA_DIR", dir.resolve("data").toString()), dir)) {

            int exit = palaver.awaitExit(60);

            assertThat(exit).as("stderr: %s", palaver.stderr()).isEqualTo(ProductionReadinessGuard.EXIT_CONFIG).isEqualTo(78);
            assertThat(palaver.stderr().lines().filter(l -> !l.isBlank()).toList()).singleElement()
                    .satisfies(line -> assertThat(line).contains("PALAVER_TOKEN_SIGNING_KEY").startsWith("palaver: "));
            assertThat(dir.resolve("data")).as("nothing was started or created").doesNotExist();
        }
    }
}
