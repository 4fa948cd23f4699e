package dev.palaver.media.audio;

/** The engine's internal audio format: PCM16 mono at 16 kHz, moved in 20 ms frames. */
public final class AudioFormat {
    public static final int SAMPLE_RATE = 16_000;
    public static final int FRAME_MILLIS = 20;
    public static final int SAMPLES_PER_FRAME = SAMPLE_RATE * FRAME_MILLIS / 1000;
    public static final int BYTES_PER_FRAME = SAMPLES_PER_FRAME * 2;

    private AudioFormat() {
    }

    /** Samples in {@code millis} of audio at {@code sampleRate}. */
    public static int samplesFor(int sampleRate, int millis) {
        return sampleRate * millis / 1000;
    }
}
