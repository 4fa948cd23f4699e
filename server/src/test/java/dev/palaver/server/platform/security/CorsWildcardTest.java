package dev.palaver.server.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.palaver.server.testing.PalaverApps;
import dev.palaver.server.testing.TestDatabases;

/** A wildcard in the CORS allow-list (credentials are allowed) is a configuration error, not a setting. */
class CorsWildcardTest {

    @Test
    void wildcardOriginMakesStartupFail() {
        Map<String, String> settings = PalaverApps.on(TestDatabases.shared());
        settings.put("palaver.http.cors-allowed-origins", "https://app.example.test,*");

        Throwable failure = catchThrowable(() -> PalaverApps.start(settings).close());

        assertThat(failure).isNotNull();
        assertThat(rootCause(failure)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PALAVER_CORS_ALLOWED_ORIGINS").hasMessageContaining("wildcards are not allowed");
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}
