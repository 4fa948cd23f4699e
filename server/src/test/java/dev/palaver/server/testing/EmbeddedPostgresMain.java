package dev.palaver.server.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import dev.palaver.server.platform.db.EmbeddedPostgres;

/**
 * Run as a separate JVM by the crash-recovery test: starts the embedded PostgreSQL on {@code args[0]},
 * commits a row, prints {@value #READY} and the port, and waits to be killed.
 */
public final class EmbeddedPostgresMain {

    public static final String READY = "EMBEDDED POSTGRES READY ";

    private EmbeddedPostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.start(Path.of(args[0]), 0);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement s = c.createStatement()) {
            s.execute("create table survivors (id int primary key, note text not null)");
            s.execute("insert into survivors values (1, 'committed before kill -9')");
        }
        System.out.println(READY + pg.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
