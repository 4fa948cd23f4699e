package dev.palaver.media.stt;

/**
 * Streaming speech recognition. A call opens one stream and pushes every inbound frame into it for as
 * long as the call lasts; results come back through the {@link Listener}, which may be called from any
 * thread and must only hand the result on (the call posts it to its own loop).
 */
public interface SpeechToText {

    /** Opens a recognition stream for one call. */
    Stream open(Listener listener);

    /** One call's recognition stream. Used by one thread at a time (the call's loop). */
    interface Stream extends AutoCloseable {

        /**
         * Adds 20 ms of 16 kHz PCM16 audio. The array is shared with the call (which may keep it to replay
         * into a fallback provider): read it, never modify it.
         */
        void push(short[] frame);

        /**
         * The caller has stopped speaking. The stream must answer with exactly one final transcript with
         * {@code flushed = true} covering all audio pushed so far (possibly empty text). Providers that
         * support it send their "finalize" message; others flush their own endpointing.
         */
        void endOfSpeech();

        /** Releases the stream; no listener calls follow. Idempotent. */
        @Override
        void close();
    }

    interface Listener {
        /** Interim hypothesis for the speech in progress; may change. */
        void onPartial(String text);

        /**
         * Settled text. {@code flushed} is true when this final answers {@link Stream#endOfSpeech()};
         * providers may also settle text on their own (flushed = false).
         */
        void onFinal(String text, boolean flushed);

        /** The stream broke; it sends nothing more and the call will close it. */
        void onError(String message);
    }
}
