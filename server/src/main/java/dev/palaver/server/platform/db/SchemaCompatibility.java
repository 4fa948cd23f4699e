package dev.palaver.server.platform.db;

import java.util.Arrays;
import java.util.Optional;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Migrates on start, but first refuses a database whose schema is newer than this build: running old
 * code on a newer schema could write data the newer code cannot read.
 */
@Configuration(proxyBeanMethods = false)
class SchemaCompatibility {

    @Bean
    FlywayMigrationStrategy checkedMigration() {
        return flyway -> {
            newerThanThisBuild(flyway).ifPresent(future -> {
                throw new SchemaTooNewException(future.getVersion().getVersion(), latestKnown(flyway));
            });
            flyway.migrate();
        };
    }

    static Optional<MigrationInfo> newerThanThisBuild(Flyway flyway) {
        return Arrays.stream(flyway.info().all())
                .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED)
                .reduce((a, b) -> b);
    }

    private static String latestKnown(Flyway flyway) {
        return Arrays.stream(flyway.info().all())
                .filter(m -> m.getState().isResolved() && m.getVersion() != null)
                .map(m -> m.getVersion().getVersion())
                .reduce((a, b) -> b)
                .orElse("none");
    }
}
