package dev.palaver.server.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palaver.server.testing.EmbeddedPostgresDirs;
import dev.palaver.server.testing.EmbeddedPostgresMain;
import dev.palaver.server.testing.JavaProcess;

/**
 * A Palaver JVM killed with -9 leaves its PostgreSQL running, orphaned, on the data directory. The next
 * start must stop that orphan, start cleanly, and find every committed row.
 */
class EmbeddedPostgresCrashRecoveryTest {

    @Test
    void startAfterKill9StopsTheOrphanAndKeepsCommittedRows(@TempDir Path dir) throws Exception {
        Path base = EmbeddedPostgresDirs.prepare(dir.resolve("postgres"));
        long orphanPid;
        try (JavaProcess holder = JavaProcess.start(EmbeddedPostgresMain.class.getName(), Map.of(), dir, base.toString())) {
            holder.awaitStdoutLine(l -> l.startsWith(EmbeddedPostgresMain.READY), 120);
            orphanPid = postmasterPid(base);

            holder.process().destroyForcibly();
            assertThat(holder.awaitExit(30)).isEqualTo(137);
        }
        assertThat(running(orphanPid)).as("the postmaster outlived the killed JVM").isTrue();

        try (EmbeddedPostgres pg = EmbeddedPostgres.start(base, 0)) {
            // Stopped means exited; the orphan's new parent (init) reaps it in its own time.
            await().atMost(Duration.ofSeconds(10)).until(() -> !running(orphanPid));
            assertThat(postmasterPid(base)).isNotEqualTo(orphanPid);
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select note from survivors where id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("committed before kill -9");
            }
        }
    }

    /** Alive and not a zombie (an exited process its parent has not reaped yet). */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && Files.exists(stat)) {
            try {
                String s = Files.readString(stat);
                return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
            } catch (java.nio.file.NoSuchFileException e) {
                return false;
            }
        }
        return false;
    }

    private static long postmasterPid(Path base) throws Exception {
        return Long.parseLong(Files.readAllLines(base.resolve("data/postmaster.pid")).getFirst().strip());
    }
}
