package dev.palaver.providers.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Time limits for one provider request or stream. {@code connect} bounds the TCP connection (and TLS);
 * {@code firstByte} bounds the wait after connecting for the first byte of the answer (response headers
 * alone do not count: a server that answers 200 and then says nothing is stalled; for a WebSocket, the
 * handshake response); {@code idle} bounds the silence between pieces of the answer after that (a stall);
 * {@code total} caps the whole request or stream.
 */
public record HttpTimeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {

    public HttpTimeouts {
        positive(connect, "connect");
        positive(firstByte, "firstByte");
        positive(idle, "idle");
        positive(total, "total");
    }

    /** A streamed completion: a voice call cannot wait long for a first token. */
    public static HttpTimeouts streaming() {
        return new HttpTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(120));
    }

    /** A request answered in one body (embeddings). */
    public static HttpTimeouts buffered() {
        return new HttpTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(60));
    }

    /** Connect 2 s, first byte 4 s, idle 3 s, total 60 s: a synthesis of one sentence or clause. */
    public static HttpTimeouts synthesis() {
        return new HttpTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(3),
                Duration.ofSeconds(60));
    }

    /** Connect 2 s, first byte 10 s, idle 5 s, total 30 s: one utterance (at most 30 s of audio). */
    public static HttpTimeouts transcription() {
        return new HttpTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
    }

    /** Connect 3 s, handshake 5 s, idle 10 s, total 4 h: a live recognition stream for a whole call. */
    public static HttpTimeouts liveStream() {
        return new HttpTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofHours(4));
    }

    /** The same limit for every phase, for tests and simple setups. */
    public static HttpTimeouts of(Duration each) {
        return new HttpTimeouts(each, each, each, each.multipliedBy(20));
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " timeout must be positive: " + d);
        }
    }
}
