package dev.palaver.media.vad;

/**
 * Says how likely a stretch of 16 kHz PCM16 audio holds speech. One instance per call: implementations
 * may keep recurrent state between windows, and share heavy resources (a model) between instances.
 */
public interface VoiceActivityDetector extends AutoCloseable {

    /** Samples this detector wants per call to {@link #speechProbability}. */
    int windowSamples();

    /**
     * Probability in [0, 1] that {@code samples[offset .. offset + windowSamples())} holds speech.
     * Must not allocate on the hot path.
     */
    float speechProbability(short[] samples, int offset);

    /** Forgets recurrent state, as at the start of a call. */
    void reset();

    @Override
    void close();
}
