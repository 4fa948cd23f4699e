package dev.palaver.media.vad;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SpeechEndTrackerTest {
    private static final int WINDOW = 512;

    private static short[] constant(int amplitude) {
        short[] window = new short[WINDOW];
        Arrays.fill(window, (short) amplitude);
        return window;
    }

    @Test
    void datesTheEndAtTheLastBlockLoudForTheUtterance() {
        var tracker = new SpeechEndTracker();
        short[] tail = constant(8000);
        Arrays.fill(tail, 200, WINDOW, (short) 0);
        tracker.observe(constant(8000), 0, WINDOW, 0);
        tracker.confident(0);
        tracker.observe(tail, 0, WINDOW, WINDOW);
        tracker.observe(constant(0), 0, WINDOW, 2 * WINDOW);

        // Samples 512 .. 712 are loud: the block 640 .. 768 holds 72 of them, still loud on average; 768 .. 896 is silent.
        assertThat(tracker.speechEnd(3 * WINDOW)).isEqualTo(WINDOW + 256);
    }

    @Test
    void backgroundAsLoudAsTheVoiceLeavesTheDetectorsOnset() {
        var tracker = new SpeechEndTracker();
        tracker.observe(constant(8000), 0, WINDOW, 0);
        tracker.confident(0);
        tracker.observe(constant(4000), 0, WINDOW, WINDOW);
        tracker.observe(constant(4000), 0, WINDOW, 2 * WINDOW);

        assertThat(tracker.speechEnd(2 * WINDOW)).as("never later than the detector").isEqualTo(2 * WINDOW);
    }

    @Test
    void neverBeforeTheLastWindowTheDetectorWasConfidentOf() {
        var tracker = new SpeechEndTracker();
        tracker.observe(constant(8000), 0, WINDOW, 0);
        tracker.confident(0);
        tracker.observe(constant(100), 0, WINDOW, WINDOW); // 38 dB down: too quiet for this voice
        tracker.confident(WINDOW);

        assertThat(tracker.speechEnd(3 * WINDOW)).isEqualTo(WINDOW);
    }

    @Test
    void digitalSilenceAndForgottenUtterancesGiveTheDetectorsOnset() {
        var tracker = new SpeechEndTracker();
        tracker.observe(constant(8000), 0, WINDOW, 0);
        tracker.forget();
        tracker.observe(constant(0), 0, WINDOW, WINDOW);

        assertThat(tracker.speechEnd(5 * WINDOW)).isEqualTo(5 * WINDOW);
    }
}
