package dev.palaver.media.call;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.vad.SpeechEndTracker;
import dev.palaver.media.vad.VoiceActivityDetector;

/**
 * Hysteresis over a {@link VoiceActivityDetector}: speech starts after {@code minSpeech} of consecutive
 * windows at or above the start threshold, and stops after {@code minSilence} of consecutive windows
 * below the stop threshold; probabilities in between keep the current state. Frames are cut into the
 * detector's window size with one reused buffer. Times are the clock readings of the frames that
 * completed the windows, except the silence onset: the detector's probability lingers above the stop
 * threshold for a few windows after the caller stops (Silero's for 70-130 ms), so a {@link SpeechEndTracker}
 * dates the onset back to the end of the caller's last loud block, never after the first window below
 * the stop threshold. The endpointing delay and the turn's metrics then count from when the caller
 * actually stopped. A sample's time is the clock reading of its frame less the samples that follow it in
 * that frame.
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
    private final SpeechEndTracker endTracker = new SpeechEndTracker();
    private int filled;
    /** Stream position of the first sample of the frame being accepted. */
    private long frameStart;
    private long windowsJudged;

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
                long windowStart = windowsJudged++ * window.length;
                endTracker.observe(window, 0, window.length, windowStart);
                step(vad.speechProbability(window, 0), windowStart, frame.length, now, out);
            }
        }
        frameStart += frame.length;
    }

    /** Clock time of stream position {@code sample}, given that the current frame ends at {@code now}. */
    private long timeOf(long sample, int frameLength, long now) {
        return now - (frameStart + frameLength - sample) * 1_000_000_000L / AudioFormat.SAMPLE_RATE;
    }

    private void step(float probability, long windowStart, int frameLength, long now, Transitions out) {
        if (probability >= startThreshold) {
            endTracker.confident(windowStart);
        }
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
                endTracker.forget();
            }
        } else if (probability < stopThreshold) {
            if (runNanos == 0) {
                runStart = now;
            }
            runNanos += windowNanos;
            if (runNanos >= minSilenceNanos) {
                speaking = false;
                runNanos = 0;
                long end = endTracker.speechEnd(Long.MAX_VALUE);
                out.speechStopped(end == Long.MAX_VALUE ? runStart : Math.min(runStart, timeOf(end, frameLength, now)));
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
