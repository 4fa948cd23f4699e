package dev.palaver.server.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.zaxxer.hikari.HikariDataSource;

import dev.palaver.server.identity.FirstOwner;
import dev.palaver.server.testing.EmbeddedPostgresDirs;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.PalaverApps;

/**
 * With no database configured Palaver runs on its embedded PostgreSQL under the data directory:
 * durable settings, one first owner, and everything still there after a restart.
 */
class EmbeddedDatabaseDefaultTest {

    @Test
    void embeddedDefaultIsDurableCreatesOneOwnerAndKeepsDataAcrossRestarts(@TempDir Path dataDir) {
        EmbeddedPostgresDirs.prepare(dataDir.resolve("postgres"));
        Map<String, String> settings = PalaverApps.defaults();
        settings.put("palaver.data-dir", dataDir.toString());
        settings.put("palaver.database.url", "");
        settings.put("palaver.admin.email", "first@example.test");
        settings.put("palaver.admin.password", "");

        UUID firstOrg;
        try (ConfigurableApplicationContext first = PalaverApps.start(settings)) {
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            assertThat(((HikariDataSource) first.getBean(DataSource.class)).getJdbcUrl())
                    .startsWith("jdbc:postgresql://127.0.0.1:").endsWith("/" + EmbeddedPostgres.DATABASE);
            assertThat(dataDir.resolve("postgres/data/PG_VERSION")).exists();
            assertThat(setting(jdbc, "fsync")).isEqualTo("on");
            assertThat(setting(jdbc, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(jdbc, "full_page_writes")).isEqualTo("on");

            FirstOwner.FirstLogin login = first.getBean(FirstOwner.class).createdThisStart().orElseThrow();
            assertThat(login.email()).isEqualTo("first@example.test");
            assertThat(login.generatedPassword()).as("generated, since none was configured").hasSizeGreaterThanOrEqualTo(20);
            firstOrg = login.orgId();
            assertThat(owners(jdbc)).isEqualTo(1);
            jdbc.sql("insert into organizations (id, name) values (?, 'written before the restart')")
                    .param(UUID.randomUUID()).update();

            // The default has no metrics token: the scrape is open to loopback clients.
            try (Http http = new Http(PalaverApps.port(first))) {
                HttpResponse<String> scrape = http.get("/actuator/prometheus");
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.body()).contains("palaver_build_info");
            }
        }

        try (ConfigurableApplicationContext second = PalaverApps.start(settings)) {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            assertThat(second.getBean(FirstOwner.class).createdThisStart()).isEmpty();
            assertThat(owners(jdbc)).isEqualTo(1);
            assertThat(jdbc.sql("select count(*) from users").query(Long.class).single()).isEqualTo(1);
            assertThat(jdbc.sql("select org_id from memberships where role = 'owner'").query(UUID.class).single())
                    .isEqualTo(firstOrg);
            assertThat(jdbc.sql("select count(*) from organizations where name = 'written before the restart'")
                    .query(Long.class).single()).isEqualTo(1);
        }
        assertThat(Files.exists(dataDir.resolve("postgres/data/postmaster.pid")))
                .as("PostgreSQL stopped with Palaver").isFalse();
    }

    private static String setting(JdbcClient jdbc, String name) {
        return jdbc.sql("show " + name).query(String.class).single();
    }

    private static long owners(JdbcClient jdbc) {
        return jdbc.sql("select count(*) from memberships where role = 'owner'").query(Long.class).single();
    }
}
