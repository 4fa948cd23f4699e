package dev.palaver.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import dev.palaver.server.platform.db.EmbeddedPostgres;
import dev.palaver.server.testing.EmbeddedPostgresDirs;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.PalaverApps;
import dev.palaver.server.testing.Ports;
import dev.palaver.server.testing.TestDatabases;
import dev.palaver.server.testing.TestRedis;

/**
 * Readiness tells the truth about PostgreSQL and Redis: it goes DOWN within 10 s of either going away
 * (liveness stays UP: restarting Palaver would not help) and UP again when they return, without a restart.
 * Palaver runs against an external PostgreSQL (our launcher, on a fixed port) and a Redis that the test
 * stops and starts.
 */
class ReadinessTest {

    @TempDir
    static Path dir;

    private static Path pgDir;
    private static int pgPort;
    private static EmbeddedPostgres postgres;
    private static TestRedis redis;
    private static ConfigurableApplicationContext palaver;
    private static Http http;

    @BeforeAll
    static void start() {
        pgDir = EmbeddedPostgresDirs.prepare(dir.resolve("postgres"));
        pgPort = Ports.free();
        postgres = EmbeddedPostgres.start(pgDir, pgPort);
        redis = TestRedis.start();
        Map<String, String> settings = PalaverApps.on(new TestDatabases.Database(postgres.jdbcUrl(),
                postgres.username(), postgres.password()));
        settings.put("palaver.redis-url", redis.url());
        palaver = PalaverApps.start(settings);
        http = new Http(PalaverApps.port(palaver));
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.close();
        }
        if (palaver != null) {
            palaver.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void readinessFollowsPostgresDownAndBackUpWithoutRestart() {
        awaitReadiness(200, "UP", Duration.ofSeconds(30));

        long stopping = System.nanoTime();
        postgres.close();

        awaitReadiness(503, "DOWN", tenSecondsSince(stopping));
        assertLive();

        postgres = EmbeddedPostgres.start(pgDir, pgPort);

        awaitReadiness(200, "UP", Duration.ofSeconds(30));
        assertLive();
    }

    @Test
    void readinessFollowsRedisDownAndBackUpWithoutRestart() {
        awaitReadiness(200, "UP", Duration.ofSeconds(30));

        long stopping = System.nanoTime();
        redis.kill();

        awaitReadiness(503, "DOWN", tenSecondsSince(stopping));
        assertLive();

        redis.restart();

        awaitReadiness(200, "UP", Duration.ofSeconds(30));
        assertLive();
    }

    /** What is left of the 10 s that readiness has to notice, counted from when the stop began. */
    private static Duration tenSecondsSince(long startNanos) {
        Duration left = Duration.ofSeconds(10).minusNanos(System.nanoTime() - startNanos);
        assertThat(left).as("time left of the 10 s after stopping the server").isPositive();
        return left;
    }

    private static void awaitReadiness(int status, String state, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            HttpResponse<String> r = http.get("/actuator/health/readiness");
            assertThat(r.statusCode()).isEqualTo(status);
            assertThat(Http.json(r).get("status").asString()).isEqualTo(state);
        });
    }

    private static void assertLive() {
        HttpResponse<String> live = http.get("/actuator/health/liveness");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(Http.json(live).get("status").asString()).isEqualTo("UP");
    }
}
