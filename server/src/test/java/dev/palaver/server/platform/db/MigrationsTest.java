package dev.palaver.server.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.palaver.server.testing.Migrations;
import dev.palaver.server.testing.SharedPalaverContext;
import dev.palaver.server.testing.TestDatabases;

/**
 * The shared context started on a brand-new, empty database (see {@link SharedPalaverContext}); this
 * checks what Flyway left there.
 */
class MigrationsTest extends SharedPalaverContext {

    @Test
    void emptyDatabaseIsMigratedToTheLatestVersion() {
        var db = database();

        List<String> applied = TestDatabases.queryColumn(db,
                "select version || ':' || success from flyway_schema_history where version is not null order by installed_rank");
        List<String> tables = TestDatabases.queryColumn(db,
                "select table_name from information_schema.tables where table_schema = 'public' order by table_name");

        assertThat(Migrations.versions()).startsWith("1", "2");
        assertThat(applied).containsExactlyElementsOf(Migrations.versions().stream().map(v -> v + ":true").toList());
        assertThat(tables).contains("organizations", "users", "memberships", "flyway_schema_history");
    }
}
