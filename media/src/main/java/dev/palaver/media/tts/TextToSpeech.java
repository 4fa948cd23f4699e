package dev.palaver.media.tts;

/**
 * Streaming speech synthesis: one request per piece of text, audio back in chunks of 16 kHz PCM16 mono.
 * Listener calls may come from any thread and must only hand the result on.
 */
public interface TextToSpeech {

    /** Starts synthesizing {@code text}; returns a handle to stop it. */
    Synthesis synthesize(String text, Listener listener);

    /** A synthesis in flight. */
    interface Synthesis extends AutoCloseable {
        /** Stops the synthesis and releases it; no listener calls follow. Idempotent. */
        @Override
        void close();
    }

    interface Listener {
        /** The next piece of audio, of any length. Ownership of the array passes to the listener. */
        void onAudio(short[] pcm);

        /** All audio for the text has been delivered. */
        void onDone();

        /** Synthesis failed; nothing more follows. */
        void onError(String message);
    }
}
