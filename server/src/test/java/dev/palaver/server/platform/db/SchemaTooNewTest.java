package dev.palaver.server.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.palaver.server.testing.Migrations;
import dev.palaver.server.testing.PalaverApps;
import dev.palaver.server.testing.TestDatabases;

/** A database migrated by a newer Palaver must not be touched by this one. */
@ExtendWith(OutputCaptureExtension.class)
class SchemaTooNewTest {

    @Test
    void schemaNewerThanThisBuildRefusesToStart(CapturedOutput output) {
        var db = TestDatabases.fresh();
        Flyway.configure().dataSource(db.url(), db.username(), db.password())
                .locations("classpath:db/migration").load().migrate();
        TestDatabases.execute(db, """
                insert into flyway_schema_history
                    (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
                values ((select max(installed_rank) + 1 from flyway_schema_history), '999', 'from the future', 'SQL',
                        'V999__from_the_future.sql', 12345, 'palaver', 5, true)""");

        Throwable failure = catchThrowable(() -> PalaverApps.start(PalaverApps.on(db)).close());

        SchemaTooNewException tooNew = causeOfType(failure, SchemaTooNewException.class);
        assertThat(tooNew).as("cause chain of %s", failure).isNotNull();
        assertThat(tooNew.getMessage()).contains("version 999", "latest " + Migrations.latest() + ")");
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("The database schema is at version 999, newer than this Palaver build knows");
        assertThat(TestDatabases.queryColumn(db, "select count(*) from flyway_schema_history"))
                .containsExactly(Integer.toString(Migrations.versions().size() + 1));
    }

    private static <T extends Throwable> T causeOfType(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
