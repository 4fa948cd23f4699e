package dev.palaver.server.platform.config;

import java.util.Arrays;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Stops a {@code prod} start with one line on standard error that names the setting, before anything
 * else (database, web server) starts. Exit code 78 is EX_CONFIG.
 */
public final class ProductionReadinessGuard implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    public static final int EXIT_CONFIG = 78;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        var env = event.getEnvironment();
        if (!Arrays.asList(env.getActiveProfiles()).contains("prod")) {
            return;
        }
        ProductionReadiness.firstProblem(env).ifPresent(problem -> {
            System.err.println("palaver: refusing to start in prod: " + problem);
            System.err.flush();
            System.exit(EXIT_CONFIG);
        });
    }
}
