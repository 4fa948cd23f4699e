package dev.palaver.server.calls;

import java.io.IOException;
import java.util.Optional;

import org.springframework.core.io.Resource;

/**
 * Where call recordings are kept: two-channel 16 kHz PCM16 WAV files (caller left, agent right), written
 * while the call runs. The default is a local directory; another store (S3-compatible) implements this
 * interface as a bean of its own.
 */
public interface RecordingStorage {

    /** Starts the recording stored under {@code key} (a relative path of safe characters). */
    Upload create(String key) throws IOException;

    /** The finished (or salvaged) recording, readable with ranges; empty if there is none. */
    Optional<Resource> open(String key);

    /**
     * Makes a recording left unfinished by a dead node readable: declares the audio written so far.
     * Empty when nothing was written.
     */
    Optional<Stored> salvage(String key) throws IOException;

    /** One recording being written. Not thread-safe: one writer at a time. */
    interface Upload {
        /**
         * Appends {@code frames} stereo frames. A failed append may be retried with the same audio:
         * it writes at the same place again.
         */
        void append(short[] left, short[] right, int frames) throws IOException;

        /** Declares the length, makes the recording durable and readable. Idempotent. */
        Stored finish() throws IOException;

        /** Frames appended successfully so far. */
        long frames();
    }

    /** A finished recording: size, duration and the SHA-256 of the whole file (hex). */
    record Stored(long bytes, long durationMillis, String sha256) {
    }
}
