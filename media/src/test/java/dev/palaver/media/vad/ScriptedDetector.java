package dev.palaver.media.vad;

import java.util.ArrayList;
import java.util.List;

/** Returns scripted probabilities, one per window, and records the windows it was given. */
final class ScriptedDetector implements VoiceActivityDetector {
    private final int windowSamples;
    private final float[] script;
    private int next;
    final List<short[]> windows = new ArrayList<>();
    int resets;
    boolean closed;

    ScriptedDetector(int windowSamples, float... script) {
        this.windowSamples = windowSamples;
        this.script = script;
    }

    /** {@code count} windows of {@code probability}, for building scripts. */
    static float[] repeat(float probability, int count) {
        float[] out = new float[count];
        java.util.Arrays.fill(out, probability);
        return out;
    }

    static float[] script(float[]... parts) {
        int length = 0;
        for (float[] part : parts) {
            length += part.length;
        }
        float[] out = new float[length];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    @Override
    public int windowSamples() {
        return windowSamples;
    }

    @Override
    public float speechProbability(short[] samples, int offset) {
        short[] copy = new short[windowSamples];
        System.arraycopy(samples, offset, copy, 0, windowSamples);
        windows.add(copy);
        return next < script.length ? script[next++] : 0f;
    }

    @Override
    public void reset() {
        resets++;
        next = 0;
    }

    @Override
    public void close() {
        closed = true;
    }
}
