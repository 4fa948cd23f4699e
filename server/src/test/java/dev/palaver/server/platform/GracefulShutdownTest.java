package dev.palaver.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ConfigurableApplicationContext;

import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.PalaverApps;
import dev.palaver.server.testing.TestDatabases;
import dev.palaver.testendpoints.TestEndpoints;

/** Shutting down (what SIGTERM does) first takes Palaver out of readiness, then lets in-flight work finish. */
class GracefulShutdownTest {

    @Test
    void shutdownRefusesTrafficFirstThenDrainsTheInFlightRequest() throws Exception {
        ConfigurableApplicationContext palaver = PalaverApps.start(PalaverApps.on(TestDatabases.shared()), TestEndpoints.class);
        TestEndpoints endpoints = palaver.getBean(TestEndpoints.class);
        ApplicationAvailability availability = palaver.getBean(ApplicationAvailability.class);
        Thread closer = null;
        try (Http http = new Http(PalaverApps.port(palaver))) {
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(http.request("/test/slow").GET());
            assertThat(endpoints.awaitSlowRequestEntered(10)).as("the slow request reached its handler").isTrue();
            assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);

            closer = Thread.ofPlatform().name("closer").start(palaver::close);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);
            assertThat(inFlight).as("the in-flight request is still being served").isNotDone();
            assertThat(closer.isAlive()).as("shutdown waits for it").isTrue();

            endpoints.releaseSlowRequest();

            HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("finished");
            closer.join(Duration.ofSeconds(30));
            assertThat(closer.isAlive()).as("shutdown completes once the request has drained").isFalse();
            assertThat(palaver.isActive()).isFalse();
        } finally {
            endpoints.releaseSlowRequest();
            if (closer == null) {
                palaver.close();
            }
        }
    }
}
