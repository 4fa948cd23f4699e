package dev.palaver.media.fake;

import dev.palaver.media.vad.VoiceActivityDetector;

/** Scripted VAD: a window holds speech (probability 1) if any of its samples is non-zero, else 0. */
public final class FakeVoiceActivityDetector implements VoiceActivityDetector {

    private final int windowSamples;
    private volatile boolean closed;

    public FakeVoiceActivityDetector(int windowSamples) {
        this.windowSamples = windowSamples;
    }

    @Override
    public int windowSamples() {
        return windowSamples;
    }

    @Override
    public float speechProbability(short[] samples, int offset) {
        for (int i = offset; i < offset + windowSamples; i++) {
            if (samples[i] != 0) {
                return 1f;
            }
        }
        return 0f;
    }

    @Override
    public void reset() {
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }
}
