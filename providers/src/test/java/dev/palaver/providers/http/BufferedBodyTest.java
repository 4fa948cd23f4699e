package dev.palaver.providers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palaver.providers.testing.LoopbackServer;
import dev.palaver.providers.testing.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BufferedBodyTest {

    private final LoopbackServer server = LoopbackServer.start();
    private final ProviderTransport transport = new ProviderTransport("test", HttpTimeouts.of(Duration.ofMillis(300)), List.of());

    @AfterEach
    void stop() {
        transport.close();
        server.close();
    }

    @Test
    void collectsTheWholeBody() {
        server.enqueue(LoopbackServer.Response.json("{\"ok\":true}"));
        byte[] body = BufferedBody.fetch(transport, transport.request(server.url("/x")).GET().build(), 100);
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
    }

    @Test
    void aBodyOverTheLimitIsMalformedAndTheConnectionDropped() {
        server.enqueue(LoopbackServer.Response.sse().write("x".repeat(60)).write("y".repeat(60)).stall());
        assertThatThrownBy(() -> BufferedBody.fetch(transport, transport.request(server.url("/x")).GET().build(), 100))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProviderFailure.Kind.MALFORMED));
        assertThat(server.awaitNoOpenConnections(Duration.ofSeconds(5))).isTrue();
        assertThat(Waits.until(() -> transport.openExchanges() == 0, Duration.ofSeconds(5))).isTrue();
    }
}
