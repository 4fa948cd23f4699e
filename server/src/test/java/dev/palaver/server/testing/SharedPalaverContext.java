package dev.palaver.server.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.palaver.server.PalaverApplication;
import dev.palaver.testendpoints.TestEndpoints;

/**
 * The one Spring context that most HTTP-level tests share (Spring caches it across test classes because
 * their configuration is identical): Palaver on a random port, a brand-new database on the test
 * PostgreSQL (so its start also proves that an empty database migrates), the test Redis, a CORS
 * allow-list, a metrics token, and the test-only endpoints under {@code /test}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = {PalaverApplication.class, TestEndpoints.class},
        properties = {
                "palaver.http.cors-allowed-origins=" + SharedPalaverContext.ALLOWED_ORIGIN,
                "palaver.metrics-token=" + SharedPalaverContext.METRICS_TOKEN,
                "palaver.admin.email=owner@example.test",
                "palaver.token-signing-key=" + SharedPalaverContext.TOKEN_SIGNING_KEY,
                // Tests sign in far more often than people do; the limits have tests of their own.
                "palaver.rate-limits.auth-per-minute=1000000",
                "palaver.rate-limits.api-per-minute=1000000",
        })
public abstract class SharedPalaverContext {

    public static final String ALLOWED_ORIGIN = "https://app.example.test";
    public static final String METRICS_TOKEN = "shared-context-metrics-token-7f3a9c1e";
    public static final String TOKEN_SIGNING_KEY = "shared-context-signing-key-4b1d9e7a2c5f8e3b";

    @LocalServerPort
    protected int port;

    @Autowired
    protected ApplicationContext context;

    protected Http http;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("palaver.database.url", () -> SharedDatabase.get().url());
        registry.add("palaver.database.username", () -> SharedDatabase.get().username());
        registry.add("palaver.database.password", () -> SharedDatabase.get().password());
        registry.add("palaver.redis-url", TestRedis::sharedUrl);
        registry.add("palaver.data-dir", () -> TestDirs.target().resolve("test-data").toString());
    }

    /** The database of this context: fresh (empty) when the context starts. */
    protected static TestDatabases.Database database() {
        return SharedDatabase.get();
    }

    @BeforeEach
    void openHttp() {
        http = new Http(port);
    }

    @AfterEach
    void closeHttp() {
        http.close();
    }

    private static final class SharedDatabase {
        private static TestDatabases.Database db;

        static synchronized TestDatabases.Database get() {
            if (db == null) {
                db = TestDatabases.fresh();
            }
            return db;
        }
    }
}
