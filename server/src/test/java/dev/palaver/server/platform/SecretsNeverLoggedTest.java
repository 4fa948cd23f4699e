package dev.palaver.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.JavaProcess;
import dev.palaver.server.testing.TestDatabases;
import dev.palaver.server.testing.TestRedis;
import dev.palaver.testendpoints.PalaverWithTestEndpoints;

/**
 * Palaver as a process under the {@code prod} profile with known secrets (token signing key, encryption
 * key, metrics token, admin password, database password, Redis password), exercised with those secrets
 * in headers, cookies, query strings and bodies, on success and error paths. Everything it printed, on
 * standard output and error from start to exit, is scanned: no secret appears, and every line is one
 * JSON object.
 */
class SecretsNeverLoggedTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void configuredSecretsNeverReachTheLogAndEveryLineIsJson(@TempDir Path dir) {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("PALAVER_TOKEN_SIGNING_KEY", "sigkey" + hex(24));
        byte[] encryptionKey = new byte[32];
        RANDOM.nextBytes(encryptionKey);
        secrets.put("PALAVER_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(encryptionKey));
        secrets.put("PALAVER_METRICS_TOKEN", "metrics" + hex(16));
        secrets.put("PALAVER_ADMIN_PASSWORD", "adminpw" + hex(12));
        secrets.put("PALAVER_DATABASE_PASSWORD", "dbpw" + hex(12));
        String redisPassword = "redispw" + hex(12);

        TestDatabases.Database db = TestDatabases.freshOwnedByNewRole(secrets.get("PALAVER_DATABASE_PASSWORD"));
        try (TestRedis redis = TestRedis.start(redisPassword)) {
            Map<String, String> env = new LinkedHashMap<>(secrets);
            env.put("SPRING_PROFILES_ACTIVE", "prod");
            env.put("SERVER_PORT", "0");
            env.put("PALAVER_DATA_DIR", dir.resolve("data").toString());
            env.put("PALAVER_DATABASE_URL", db.url());
            env.put("PALAVER_DATABASE_USERNAME", db.username());
            env.put("PALAVER_REDIS_URL", redis.url());
            env.put("PALAVER_ADMIN_EMAIL", "owner@example.test");

            String stdout;
            String stderr;
            try (JavaProcess palaver = JavaProcess.start(PalaverWithTestEndpoints.class.getName(), env, dir)) {
                String ready = palaver.awaitStdoutLine(l -> l.contains("Palaver is ready at http://"), 180);
                Matcher port = Pattern.compile("Palaver is ready at http://[^:]+:(\\d+)").matcher(ready);
                assertThat(port.find()).isTrue();

                try (Http http = new Http(Integer.parseInt(port.group(1)))) {
                    exercise(http, secrets, redisPassword);
                }

                palaver.process().destroy(); // SIGTERM: graceful shutdown, and its log lines too
                palaver.awaitExit(60);
                stdout = palaver.stdout();
                stderr = palaver.stderr();
            }

            String everything = stdout + "\n" + stderr;
            List<String> forbidden = new ArrayList<>();
            secrets.values().forEach(s -> forbidden.addAll(forms(s)));
            forbidden.addAll(forms(redisPassword));
            forbidden.add(basic("owner@example.test", secrets.get("PALAVER_ADMIN_PASSWORD")));
            for (String secret : forbidden) {
                assertThat(everything).as("output must not contain a secret").doesNotContain(secret);
            }

            List<JsonNode> lines = new ArrayList<>();
            for (String line : everything.split("\n")) {
                if (!line.isBlank()) {
                    JsonNode json = parse(line);
                    assertThat(json != null && json.isObject()).as("not one JSON object: %s", line).isTrue();
                    lines.add(json);
                }
            }
            // The scan saw the real thing: the ready line, the request that failed, the shutdown.
            assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asString()).startsWith("Palaver is ready at"));
            assertThat(lines).anySatisfy(l -> {
                assertThat(l.path("message").asString()).contains("Unhandled error on POST /test/boom");
                assertThat(l.path("requestId").asString()).isEqualTo("secrets-test-boom-0001");
                assertThat(l.path("stack_trace").asString()).contains("simulated failure");
            });
            assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asString()).contains("Graceful shutdown complete"));
        }
    }

    private static void exercise(Http http, Map<String, String> secrets, String redisPassword) {
        String signing = secrets.get("PALAVER_TOKEN_SIGNING_KEY");
        String encryption = secrets.get("PALAVER_ENCRYPTION_KEY");
        String metrics = secrets.get("PALAVER_METRICS_TOKEN");
        String admin = secrets.get("PALAVER_ADMIN_PASSWORD");
        String database = secrets.get("PALAVER_DATABASE_PASSWORD");
        String[] secretHeaders = {
                "Authorization", "Bearer " + signing,
                "Cookie", "session=" + admin + "; refresh=" + database,
                "X-Api-Key", encryption,
        };
        String query = "?access_token=" + enc(signing) + "&password=" + enc(admin) + "&api_key=" + enc(metrics)
                + "&redis=" + enc(redisPassword);
        String body = "{\"name\":\"Ada\",\"password\":\"" + admin + "\",\"token\":\"" + signing + "\",\"apiKey\":\""
                + encryption + "\",\"db\":\"" + database + "\"}";

        assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(http.get("/api/v1/me" + query, secretHeaders).statusCode()).isEqualTo(401);
        assertThat(http.get("/api/v1/me", "Authorization", basic("owner@example.test", admin)).statusCode()).isEqualTo(401);
        assertThat(http.postJson("/test/echo" + query, body, secretHeaders).statusCode()).isEqualTo(200);
        // Malformed JSON whose broken token is a secret: parsers love to quote the offending input.
        assertThat(http.postJson("/test/echo", "{\"name\": " + signing + ", \"password\": " + admin, secretHeaders)
                .statusCode()).isEqualTo(400);
        assertThat(http.postJson("/test/echo", "{\"name\":\"" + admin.repeat(4) + "\",\"email\":\"" + database + "\"}",
                secretHeaders).statusCode()).isEqualTo(400);
        assertThat(http.send(http.request("/test/boom" + query).headers(secretHeaders)
                .header("X-Request-ID", "secrets-test-boom-0001").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))).statusCode()).isEqualTo(500);
        assertThat(http.get("/test/sql-failure" + query, secretHeaders).statusCode()).isEqualTo(500);
        assertThat(http.get("/no/such/route" + query, secretHeaders).statusCode()).isEqualTo(404);
        assertThat(http.send(http.request("/test/echo" + query).headers(secretHeaders).DELETE()).statusCode()).isEqualTo(405);
        assertThat(http.postJson("/test/echo" + query, "{\"name\":\"" + admin + "x".repeat(2 * 1024 * 1024) + "\"}",
                secretHeaders).statusCode()).isEqualTo(413);
        assertThat(http.get("/actuator/prometheus" + query, "Authorization", "Bearer " + database).statusCode()).isEqualTo(401);
        assertThat(http.get("/actuator/prometheus", "Authorization", "Bearer " + metrics.substring(1)).statusCode()).isEqualTo(401);
        HttpResponse<String> scrape = http.get("/actuator/prometheus", "Authorization", "Bearer " + metrics);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(http.get("/actuator/env", secretHeaders).statusCode()).isIn(401, 403, 404);
    }

    /** The secret as it could appear: whole, URL-encoded, and any 12-character slice of it. */
    private static List<String> forms(String secret) {
        List<String> forms = new ArrayList<>(List.of(secret, enc(secret)));
        for (int i = 0; i + 12 <= secret.length(); i += 6) {
            forms.add(secret.substring(i, i + 12));
        }
        return forms;
    }

    private static JsonNode parse(String line) {
        try {
            return Http.json(line);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
