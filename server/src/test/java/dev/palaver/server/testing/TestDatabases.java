package dev.palaver.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import dev.palaver.server.platform.db.EmbeddedPostgres;

/**
 * Brand-new, empty PostgreSQL databases for tests. They are created on the server that
 * {@code scripts/test} started ({@code PALAVER_TEST_DATABASE_URL}, a superuser), or, when a developer
 * runs plain {@code mvn test} without it, on one embedded PostgreSQL (our own launcher) started once per
 * JVM under {@code server/target/test-postgres}.
 */
public final class TestDatabases {

    /** Where a database is and how to log in to it. */
    public record Database(String url, String username, String password) {
        @Override
        public String toString() {
            return "Database[" + url + ", " + username + "]";
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "palaver_t_";
    private static Database admin;
    private static Database shared;

    private TestDatabases() {
    }

    /** A new empty database, owned by the server's superuser. */
    public static Database fresh() {
        Database server = admin();
        String name = PREFIX + randomHex(6);
        execute(server, "create database " + name);
        return new Database(withDatabase(server.url(), name), server.username(), server.password());
    }

    /**
     * Points a test's own Spring context at a new empty database (and the shared test data directory), for
     * {@code @DynamicPropertySource} methods of tests that cannot share {@code SharedPalaverContext}.
     */
    public static void registerFresh(org.springframework.test.context.DynamicPropertyRegistry registry) {
        Database db = fresh();
        registry.add("palaver.database.url", db::url);
        registry.add("palaver.database.username", db::username);
        registry.add("palaver.database.password", db::password);
        registry.add("palaver.data-dir", () -> TestDirs.target().resolve("test-data").toString());
    }

    /** A new empty database owned by a new login role whose password is {@code password}. */
    public static Database freshOwnedByNewRole(String password) {
        if (!password.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("keep test passwords to [A-Za-z0-9_-]");
        }
        Database server = admin();
        String suffix = randomHex(6);
        String role = "palaver_r_" + suffix;
        String name = PREFIX + suffix;
        execute(server, "create role " + role + " login password '" + password + "'");
        execute(server, "create database " + name + " owner " + role);
        return new Database(withDatabase(server.url(), name), role, password);
    }

    /** One database shared by every test that does not care what else is in it (created once per JVM). */
    public static synchronized Database shared() {
        if (shared == null) {
            shared = fresh();
        }
        return shared;
    }

    /** The server's maintenance database, as its superuser. */
    public static synchronized Database admin() {
        if (admin == null) {
            String url = System.getenv("PALAVER_TEST_DATABASE_URL");
            admin = url != null && !url.isBlank()
                    ? new Database(url, System.getenv("PALAVER_TEST_DATABASE_USERNAME"), System.getenv("PALAVER_TEST_DATABASE_PASSWORD"))
                    : SharedEmbeddedPostgres.admin();
        }
        return admin;
    }

    public static Connection connect(Database db) throws SQLException {
        return DriverManager.getConnection(db.url(), db.username(), db.password());
    }

    public static void execute(Database db, String... statements) {
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("on " + db + ": " + e.getMessage(), e);
        }
    }

    /** The single-column results of {@code sql}, as strings. */
    public static List<String> queryColumn(Database db, String sql) {
        try (Connection c = connect(db); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("on " + db + ": " + e.getMessage(), e);
        }
    }

    static String withDatabase(String jdbcUrl, String database) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        String params = query < 0 ? "" : jdbcUrl.substring(query);
        int slash = base.lastIndexOf('/');
        if (slash < "jdbc:postgresql://".length()) {
            throw new IllegalArgumentException("no database in " + jdbcUrl);
        }
        return base.substring(0, slash + 1) + database + params;
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * The embedded fallback: started on first use, stopped when the JVM exits. Databases left by earlier
     * runs are dropped at start (this JVM holds the directory lock, so nothing else uses them).
     */
    static final class SharedEmbeddedPostgres {
        private static EmbeddedPostgres server;

        static synchronized Database admin() {
            if (server == null) {
                server = startWithFallbackDir();
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
                Database db = new Database(server.jdbcUrl(), server.username(), server.password());
                for (String stale : queryColumn(db, "select datname from pg_database where datname like '" + PREFIX + "%'")) {
                    execute(db, "drop database if exists " + stale + " with (force)");
                }
                for (String stale : queryColumn(db, "select rolname from pg_roles where rolname like 'palaver_r_%'")) {
                    execute(db, "drop role if exists " + stale);
                }
            }
            return new Database(server.jdbcUrl(), server.username(), server.password());
        }

        /** Another JVM (a second mvn in this checkout) may hold the usual directory; then use a private one. */
        private static EmbeddedPostgres startWithFallbackDir() {
            Path usual = TestDirs.target().resolve("test-postgres");
            try {
                return EmbeddedPostgres.start(usual, 0);
            } catch (IllegalStateException e) {
                if (e.getMessage() == null || !e.getMessage().contains("in use by another Palaver process")) {
                    throw e;
                }
                Path own = TestDirs.target().resolve("test-postgres-" + ProcessHandle.current().pid());
                return EmbeddedPostgres.start(EmbeddedPostgresDirs.prepare(own), 0);
            }
        }
    }

    static boolean sharedEmbeddedBinariesExtracted(Path binaries) {
        try {
            var resource = EmbeddedPostgres.class.getClassLoader().getResource("postgres-linux-x86_64.txz");
            Path marker = binaries.resolve(".complete");
            return resource != null && Files.exists(marker) && Files.readString(marker).equals(resource.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
