package dev.palaver.server.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;

import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.Scrapes;
import dev.palaver.server.testing.SharedPalaverContext;

/** The Prometheus scrape: the series operators alert on, valid exposition format, guarded by the token. */
class MetricsEndpointTest extends SharedPalaverContext {

    private static final String[] AUTH = {"Authorization", "Bearer " + METRICS_TOKEN};

    @Test
    void scrapeHasBuildInfoJvmHikariAndHttpServerSeries() {
        http.get("/actuator/health/liveness");

        // The HTTP server timer is recorded as a request completes; poll briefly rather than race it.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            String scrape = scrape();
            assertThat(scrape).containsPattern("(?m)^palaver_build_info\\{.*version=\"[^\"]+\".*\\} 1(\\.0)?$")
                    .containsPattern("(?m)^jvm_memory_used_bytes\\{")
                    .containsPattern("(?m)^hikaricp_connections_active\\{.*pool=\"palaver\"")
                    .containsPattern("(?m)^http_server_requests_seconds_count\\{");
        });
    }

    @Test
    void scrapePassesPromtoolCheckMetrics() throws IOException, InterruptedException {
        http.get("/no/such/route");
        Scrapes.assertPromtoolClean(scrape());
    }

    @Test
    void scrapeNeedsTheMetricsToken() {
        HttpResponse<String> none = http.get("/actuator/prometheus");
        HttpResponse<String> wrong = http.get("/actuator/prometheus", "Authorization", "Bearer " + METRICS_TOKEN + "x");
        HttpResponse<String> notBearer = http.get("/actuator/prometheus", "Authorization", "Basic " + METRICS_TOKEN);
        HttpResponse<String> right = http.get("/actuator/prometheus", AUTH);

        for (HttpResponse<String> denied : List.of(none, wrong, notBearer)) {
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(Http.json(denied).get("code").asString()).isEqualTo("unauthenticated");
            assertThat(denied.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(denied.body()).doesNotContain("jvm_");
        }
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.body()).contains("palaver_build_info");
    }

    @Test
    void noOtherActuatorEndpointIsExposed() {
        var exposed = StreamSupport.stream(context.getBean(PathMappedEndpoints.class).spliterator(), false)
                .map(PathMappedEndpoint::getRootPath).toList();
        assertThat(exposed).containsExactlyInAnyOrder("health", "prometheus");

        for (String path : List.of("/actuator", "/actuator/env", "/actuator/beans", "/actuator/configprops",
                "/actuator/heapdump", "/actuator/threaddump", "/actuator/loggers", "/actuator/mappings",
                "/actuator/metrics", "/actuator/info", "/actuator/shutdown")) {
            // Even with the scrape token: it opens the scrape and nothing else.
            HttpResponse<String> r = http.get(path, AUTH);
            assertThat(r.statusCode()).as(path).isIn(401, 403, 404);
            assertThat(r.body()).as(path).doesNotContain("propertySources", "\"beans\"", "\"_links\"", "\"contexts\"");
        }
    }

    private String scrape() {
        return Scrapes.scrape(http);
    }
}
