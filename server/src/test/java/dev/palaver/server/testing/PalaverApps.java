package dev.palaver.server.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.palaver.server.PalaverApplication;

/**
 * Starts Palaver the way {@code main} does ({@link PalaverApplication#application()}), in this JVM, for
 * tests that stop databases under it, shut it down, or expect it not to start at all. Settings are
 * command-line arguments, so they win over any PALAVER_* variable of the developer's shell.
 */
public final class PalaverApps {

    private PalaverApps() {
    }

    /** Settings every programmatic start gets unless the test overrides them. */
    public static Map<String, String> defaults() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("server.port", "0");
        p.put("palaver.redis-url", "");
        p.put("palaver.metrics-token", "");
        p.put("palaver.http.cors-allowed-origins", "");
        p.put("palaver.data-dir", TestDirs.target().resolve("test-data").toString());
        return p;
    }

    /** Defaults plus the given database. */
    public static Map<String, String> on(TestDatabases.Database db) {
        Map<String, String> p = defaults();
        p.put("palaver.database.url", db.url());
        p.put("palaver.database.username", db.username());
        p.put("palaver.database.password", db.password());
        return p;
    }

    public static ConfigurableApplicationContext start(Map<String, String> settings, Class<?>... extraSources) {
        SpringApplication app = PalaverApplication.application();
        if (extraSources.length > 0) {
            app.addPrimarySources(List.of(extraSources));
        }
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> args.add("--" + k + "=" + v));
        return app.run(args.toArray(String[]::new));
    }

    public static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
