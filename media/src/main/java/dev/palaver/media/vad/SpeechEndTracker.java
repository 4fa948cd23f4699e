package dev.palaver.media.vad;

/**
 * Dates where an utterance really ended, so the silence after it is counted from the caller's last
 * sound rather than from the window in which the detector finally gave up on speech. A detector's
 * probability decays for two or three windows after speech stops (Silero's stays above a 0.35 stop
 * threshold for 70-130 ms), so dating the silence from the first window below the stop threshold adds
 * that lag to every endpointing delay.
 *
 * <p>The tracker cuts each judged window into {@value #BLOCK_SAMPLES}-sample blocks and remembers the end
 * of the last block that was loud for this utterance: at most {@value #RELATIVE_DB} dB below the loudest
 * block of the utterance and above {@value #FLOOR_DBFS} dBFS. Relative to the utterance's own level, line
 * noise well below the voice does not count as voice, and digital silence never does. When the
 * detector confirms the silence, {@link #speechEnd} returns that block end, clamped between the start of
 * the last window the detector was confident about (speech was present there, so it cannot have ended
 * before) and the silence onset the detector itself would give (never later than that). Positions are
 * sample counts on the caller's stream. Allocates nothing.
 */
public final class SpeechEndTracker {
    /** 8 ms: fine enough to date the end within a 20 ms frame, long enough to measure energy. */
    public static final int BLOCK_SAMPLES = 128;
    /** A block this far below the utterance's loudest counts as its fading tail or as background. */
    public static final float RELATIVE_DB = 30f;
    /** Quieter than this is never voice. */
    public static final float FLOOR_DBFS = -65f;

    private static final double FULL_SCALE_POWER = 32768.0 * 32768.0;

    private float peakDbfs;
    private long lastLoudEnd;
    private long lastConfidentStart;

    public SpeechEndTracker() {
        forget();
    }

    /**
     * Takes the energy of the window {@code samples[offset .. offset + length)}, which starts at stream
     * position {@code windowStart}.
     */
    public void observe(short[] samples, int offset, int length, long windowStart) {
        for (int from = 0; from < length; from += BLOCK_SAMPLES) {
            int to = Math.min(length, from + BLOCK_SAMPLES);
            double sum = 0;
            for (int i = offset + from; i < offset + to; i++) {
                sum += (double) samples[i] * samples[i];
            }
            if (sum == 0) {
                continue;
            }
            float dbfs = (float) (10 * Math.log10(sum / (to - from) / FULL_SCALE_POWER));
            if (dbfs < FLOOR_DBFS) {
                continue;
            }
            peakDbfs = Math.max(peakDbfs, dbfs);
            if (dbfs >= peakDbfs - RELATIVE_DB) {
                lastLoudEnd = windowStart + to;
            }
        }
    }

    /** The detector was confident of speech (at or above its start threshold) in the window at {@code windowStart}. */
    public void confident(long windowStart) {
        lastConfidentStart = windowStart;
    }

    /** No utterance is under way: the next one is measured against its own level. */
    public void forget() {
        peakDbfs = Float.NEGATIVE_INFINITY;
        lastLoudEnd = -1;
        lastConfidentStart = -1;
    }

    /**
     * Where the utterance ended, given the silence onset the detector's windows alone would give: the end
     * of its last loud block, never before the last confident window's start nor after {@code detectorOnset}.
     */
    public long speechEnd(long detectorOnset) {
        long end = lastLoudEnd >= 0 ? lastLoudEnd : detectorOnset;
        if (lastConfidentStart >= 0) {
            end = Math.max(end, lastConfidentStart);
        }
        return Math.min(end, detectorOnset);
    }
}
