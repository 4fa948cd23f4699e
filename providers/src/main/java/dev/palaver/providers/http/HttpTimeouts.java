package dev.palaver.providers.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Time limits for one provider request. {@code connect} bounds the TCP connection; {@code firstByte}
 * bounds the wait after connecting for the first byte of the response body (response headers alone do
 * not count: a server that answers 200 and then says nothing is stalled); {@code idle} bounds the gap
 * between body chunks after that; {@code total} caps the whole exchange.
 */
public record HttpTimeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {

    public HttpTimeouts {
        positive(connect, "connect");
        positive(firstByte, "firstByte");
        positive(idle, "idle");
        positive(total, "total");
    }

    /** Defaults for a streamed completion: a voice call cannot wait long for a first token. */
    public static HttpTimeouts streaming() {
        return new HttpTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(120));
    }

    /** Defaults for a request answered in one body (embeddings). */
    public static HttpTimeouts buffered() {
        return new HttpTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(60));
    }

    /** The same limit for every phase, for tests and simple setups. */
    public static HttpTimeouts of(Duration each) {
        return new HttpTimeouts(each, each, each, each.multipliedBy(20));
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " timeout must be positive");
        }
    }
}
