package dev.palaver.bench.engine;

import dev.palaver.media.vad.VoiceActivityDetector;

/**
 * Wraps a call's detector to see the call's loop at work: counts the windows judged, and, given the
 * call's clock and stop threshold, notes when the current run of below-threshold windows began, which is
 * when the engine's turn detector dates the caller's silence from.
 */
final class ObservedVoiceActivityDetector implements VoiceActivityDetector {

    static final long NONE = Long.MIN_VALUE;

    private final VoiceActivityDetector delegate;
    private final float stopThreshold;
    private final LoopClock clock;
    private volatile long windows;
    private volatile long silenceSince = NONE;

    /** Counts windows only. */
    ObservedVoiceActivityDetector(VoiceActivityDetector delegate) {
        this(delegate, 0f, null);
    }

    ObservedVoiceActivityDetector(VoiceActivityDetector delegate, float stopThreshold, LoopClock clock) {
        this.delegate = delegate;
        this.stopThreshold = stopThreshold;
        this.clock = clock;
    }

    @Override
    public int windowSamples() {
        return delegate.windowSamples();
    }

    @Override
    public float speechProbability(short[] samples, int offset) {
        float probability = delegate.speechProbability(samples, offset);
        if (clock != null) {
            if (probability >= stopThreshold) {
                silenceSince = NONE;
            } else if (silenceSince == NONE) {
                silenceSince = clock.lastLoopReading();
            }
        }
        // One writer (the call's loop): a plain increment of the volatile is safe.
        windows = windows + 1;
        return probability;
    }

    /** Windows judged so far. */
    long windows() {
        return windows;
    }

    /** The call's clock reading when the current run of silent windows began, or {@link #NONE}. */
    long silenceSince() {
        return silenceSince;
    }

    @Override
    public void reset() {
        delegate.reset();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
