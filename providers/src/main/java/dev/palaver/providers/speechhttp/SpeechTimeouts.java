package dev.palaver.providers.speechhttp;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a speech provider may take, per request or stream.
 *
 * @param connect establishing the connection (TCP, TLS, WebSocket handshake)
 * @param firstByte from starting the request to the first byte of the answer (audio for synthesis, the
 *     transcript for transcription, the handshake response for a WebSocket); includes connecting
 * @param idleGap the longest silence from the provider once it has started answering (a stall)
 * @param total the longest a request or stream may last altogether
 */
public record SpeechTimeouts(Duration connect, Duration firstByte, Duration idleGap, Duration total) {

    public SpeechTimeouts {
        positive(connect, "connect");
        positive(firstByte, "firstByte");
        positive(idleGap, "idleGap");
        positive(total, "total");
    }

    /** Connect 2 s, first byte 4 s, idle gap 3 s, total 60 s: a synthesis of one sentence or clause. */
    public static SpeechTimeouts synthesisDefaults() {
        return new SpeechTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofSeconds(60));
    }

    /** Connect 2 s, first byte 10 s, idle gap 5 s, total 30 s: one utterance (at most 30 s of audio). */
    public static SpeechTimeouts transcriptionDefaults() {
        return new SpeechTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    /** Connect 3 s, handshake 5 s, idle gap 10 s, total 4 h: a live recognition stream for a whole call. */
    public static SpeechTimeouts streamingDefaults() {
        return new SpeechTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofHours(4));
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " timeout must be positive: " + d);
        }
    }
}
