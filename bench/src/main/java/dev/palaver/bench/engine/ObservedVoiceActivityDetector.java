package dev.palaver.bench.engine;

import dev.palaver.media.vad.VoiceActivityDetector;

/** Wraps a call's detector to see the call's loop at work: counts the windows judged. */
final class ObservedVoiceActivityDetector implements VoiceActivityDetector {

    private final VoiceActivityDetector delegate;
    private volatile long windows;

    ObservedVoiceActivityDetector(VoiceActivityDetector delegate) {
        this.delegate = delegate;
    }

    @Override
    public int windowSamples() {
        return delegate.windowSamples();
    }

    @Override
    public float speechProbability(short[] samples, int offset) {
        float probability = delegate.speechProbability(samples, offset);
        // One writer (the call's loop): a plain increment of the volatile is safe.
        windows = windows + 1;
        return probability;
    }

    /** Windows judged so far. */
    long windows() {
        return windows;
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
