package dev.palaver.media.vad;

import dev.palaver.media.audio.AudioFormat;
import java.util.Objects;

/**
 * Turns a {@link VoiceActivityDetector}'s per-window probabilities into speech segments with hysteresis.
 * Fed fixed-size frames (20 ms by default), it regroups them into the detector's windows (Silero wants 512
 * samples) and reports when speech has started, after at least {@code minSpeechMillis} of windows at or
 * above the start threshold, and when it has stopped, after at least {@code minSilenceMillis} of windows
 * below the stop threshold. Times are sample counts from the start of the stream, never the wall clock.
 * The end of a segment is dated by a {@link SpeechEndTracker} at the caller's last loud block, not at the
 * first window below the stop threshold, so a detector's decaying probability does not delay it.
 * Owns the detector it wraps. Used by one thread (the call's loop); allocates nothing per frame.
 */
public final class SpeechDetector implements AutoCloseable {

    /** What a frame changed. */
    public enum Transition { NONE, STARTED, STOPPED }

    /**
     * @param startThreshold probability at or above which a window counts towards speech starting
     * @param stopThreshold probability below which a window counts towards speech stopping; at most
     *     {@code startThreshold}
     * @param minSpeechMillis speech needed before {@link Transition#STARTED}
     * @param minSilenceMillis silence needed before {@link Transition#STOPPED}
     */
    public record Settings(float startThreshold, float stopThreshold, int minSpeechMillis, int minSilenceMillis) {

        public Settings {
            if (!(startThreshold > 0 && startThreshold <= 1) || !(stopThreshold > 0 && stopThreshold <= startThreshold)) {
                throw new IllegalArgumentException(
                        "thresholds must satisfy 0 < stop <= start <= 1: start " + startThreshold + ", stop " + stopThreshold);
            }
            if (minSpeechMillis < 0 || minSilenceMillis < 0) {
                throw new IllegalArgumentException("negative duration in " + this);
            }
        }

        /** Silero's usual thresholds (0.5 to start, 0.35 to stop), 100 ms of speech, 500 ms of silence. */
        public static Settings defaults() {
            return new Settings(0.5f, 0.35f, 100, 500);
        }
    }

    private final VoiceActivityDetector detector;
    private final int frameSamples;
    private final float startThreshold;
    private final float stopThreshold;
    private final long minSpeechSamples;
    private final long minSilenceSamples;
    private final short[] window;
    private final SpeechEndTracker endTracker = new SpeechEndTracker();
    private int windowFill;

    private long samplesSeen;
    private long windowsJudged;
    private float lastProbability;
    private boolean inSpeech;
    private long runStart = -1;
    private long speechStart = -1;
    private long speechEnd = -1;

    /** Fed frames of {@link AudioFormat#SAMPLES_PER_FRAME} samples. */
    public SpeechDetector(VoiceActivityDetector detector, Settings settings) {
        this(detector, settings, AudioFormat.SAMPLES_PER_FRAME);
    }

    /**
     * @throws IllegalArgumentException if a minimum duration is shorter than a frame, which would let one
     *     frame both start and stop speech
     */
    public SpeechDetector(VoiceActivityDetector detector, Settings settings, int frameSamples) {
        this.detector = Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(settings, "settings");
        if (frameSamples <= 0) {
            throw new IllegalArgumentException("frame of " + frameSamples + " samples");
        }
        this.frameSamples = frameSamples;
        this.startThreshold = settings.startThreshold();
        this.stopThreshold = settings.stopThreshold();
        this.minSpeechSamples = (long) AudioFormat.SAMPLE_RATE * settings.minSpeechMillis() / 1000;
        this.minSilenceSamples = (long) AudioFormat.SAMPLE_RATE * settings.minSilenceMillis() / 1000;
        if (minSpeechSamples < frameSamples || minSilenceSamples < frameSamples) {
            throw new IllegalArgumentException("minimum speech and silence must be at least one frame ("
                    + frameSamples + " samples): " + settings);
        }
        int windowSamples = detector.windowSamples();
        if (windowSamples <= 0) {
            throw new IllegalArgumentException("detector window of " + windowSamples + " samples");
        }
        this.window = new short[windowSamples];
    }

    public int frameSamples() {
        return frameSamples;
    }

    /** Judges one frame, {@code frame.length} must be {@link #frameSamples()}. */
    public Transition accept(short[] frame) {
        if (frame.length != frameSamples) {
            throw new IllegalArgumentException("frame of " + frame.length + " samples, expected " + frameSamples);
        }
        return accept(frame, 0);
    }

    /** Judges the frame at {@code samples[offset .. offset + frameSamples())}. */
    public Transition accept(short[] samples, int offset) {
        Objects.checkFromIndexSize(offset, frameSamples, samples.length);
        Transition transition = Transition.NONE;
        int at = offset;
        int end = offset + frameSamples;
        while (at < end) {
            int take = Math.min(window.length - windowFill, end - at);
            System.arraycopy(samples, at, window, windowFill, take);
            windowFill += take;
            at += take;
            if (windowFill == window.length) {
                windowFill = 0;
                endTracker.observe(window, 0, window.length, windowsJudged * window.length);
                Transition changed = judgeWindow(detector.speechProbability(window, 0));
                if (changed != Transition.NONE) {
                    transition = changed;
                }
            }
        }
        samplesSeen += frameSamples;
        return transition;
    }

    private Transition judgeWindow(float probability) {
        lastProbability = probability;
        long windowStart = windowsJudged * window.length;
        windowsJudged++;
        long windowEnd = windowStart + window.length;
        if (probability >= startThreshold) {
            endTracker.confident(windowStart);
        }
        if (!inSpeech) {
            if (probability < startThreshold) {
                runStart = -1;
                endTracker.forget();
                return Transition.NONE;
            }
            if (runStart < 0) {
                runStart = windowStart;
            }
            if (windowEnd - runStart < minSpeechSamples) {
                return Transition.NONE;
            }
            inSpeech = true;
            speechStart = runStart;
            speechEnd = -1;
            runStart = -1;
            return Transition.STARTED;
        }
        if (probability >= stopThreshold) {
            runStart = -1;
            return Transition.NONE;
        }
        if (runStart < 0) {
            runStart = windowStart;
        }
        if (windowEnd - runStart < minSilenceSamples) {
            return Transition.NONE;
        }
        inSpeech = false;
        speechEnd = endTracker.speechEnd(runStart);
        runStart = -1;
        return Transition.STOPPED;
    }

    /** Whether speech has started and not yet stopped. */
    public boolean inSpeech() {
        return inSpeech;
    }

    /** Samples fed since the start (or the last {@link #reset}). */
    public long samplesSeen() {
        return samplesSeen;
    }

    /** First sample of the current or last speech segment, or -1 before any. */
    public long speechStartSample() {
        return speechStart;
    }

    /**
     * The sample after the last speech of the most recently finished segment (where its trailing silence
     * began, dated by {@link SpeechEndTracker}), or -1 while speaking and before any segment has finished.
     */
    public long speechEndSample() {
        return speechEnd;
    }

    /** The detector's probability for the last complete window, 0 before any. */
    public float lastProbability() {
        return lastProbability;
    }

    /** Starts a new stream: forgets all state, including the wrapped detector's. */
    public void reset() {
        detector.reset();
        windowFill = 0;
        samplesSeen = 0;
        windowsJudged = 0;
        lastProbability = 0;
        inSpeech = false;
        runStart = -1;
        endTracker.forget();
        speechStart = -1;
        speechEnd = -1;
    }

    /** Closes the wrapped detector. */
    @Override
    public void close() {
        detector.close();
    }
}
