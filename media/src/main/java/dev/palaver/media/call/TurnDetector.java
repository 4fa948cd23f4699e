package dev.palaver.media.call;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.vad.VoiceActivityDetector;

/**
 * Hysteresis over a {@link VoiceActivityDetector}: speech starts after {@code minSpeech} of consecutive
 * windows at or above the start threshold, and stops after {@code minSilence} of consecutive windows
 * below the stop threshold; probabilities in between keep the current state. Frames are cut into the
 * detector's window size with one reused buffer. Times are the clock readings of the frames that
 * completed the windows.
 */
final class TurnDetector {

    interface Transitions {
        void speechStarted(long onsetNanos);

        void speechStopped(long silenceOnsetNanos);
    }

    private final VoiceActivityDetector vad;
    private final float startThreshold;
    private final float stopThreshold;
    private final long minSpeechNanos;
    private final long minSilenceNanos;
    private final long windowNanos;
    private final short[] window;
    private int filled;

    private boolean speaking;
    private long runNanos;
    private long runStart;
    private long lastVoiced;

    TurnDetector(VoiceActivityDetector vad, CallSettings settings) {
        this.vad = vad;
        this.startThreshold = settings.vadStartThreshold();
        this.stopThreshold = settings.vadStopThreshold();
        this.minSpeechNanos = settings.minSpeech().toNanos();
        this.minSilenceNanos = settings.minSilence().toNanos();
        this.window = new short[vad.windowSamples()];
        this.windowNanos = 1_000_000_000L * window.length / AudioFormat.SAMPLE_RATE;
    }

    void accept(short[] frame, long now, Transitions out) {
        int offset = 0;
        while (offset < frame.length) {
            int n = Math.min(window.length - filled, frame.length - offset);
            System.arraycopy(frame, offset, window, filled, n);
            filled += n;
            offset += n;
            if (filled == window.length) {
                filled = 0;
                step(vad.speechProbability(window, 0), now, out);
            }
        }
    }

    private void step(float probability, long now, Transitions out) {
        if (!speaking) {
            if (probability >= startThreshold) {
                if (runNanos == 0) {
                    runStart = now;
                }
                runNanos += windowNanos;
                lastVoiced = now;
                if (runNanos >= minSpeechNanos) {
                    speaking = true;
                    runNanos = 0;
                    out.speechStarted(runStart);
                }
            } else {
                runNanos = 0;
            }
        } else if (probability < stopThreshold) {
            if (runNanos == 0) {
                runStart = now;
            }
            runNanos += windowNanos;
            if (runNanos >= minSilenceNanos) {
                speaking = false;
                runNanos = 0;
                out.speechStopped(runStart);
            }
        } else {
            runNanos = 0;
            lastVoiced = now;
        }
    }

    boolean speaking() {
        return speaking;
    }

    /** Voiced time of the current utterance, from {@code onsetNanos} to the end of its last voiced window. */
    long voicedNanosSince(long onsetNanos) {
        return lastVoiced + windowNanos - onsetNanos;
    }

    long windowNanos() {
        return windowNanos;
    }
}
