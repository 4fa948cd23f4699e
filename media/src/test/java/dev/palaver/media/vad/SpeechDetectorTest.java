package dev.palaver.media.vad;

import static dev.palaver.media.vad.ScriptedDetector.repeat;
import static dev.palaver.media.vad.ScriptedDetector.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palaver.media.vad.SpeechDetector.Settings;
import dev.palaver.media.vad.SpeechDetector.Transition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpeechDetectorTest {
    private static final int FRAME = 320;
    /** 100 ms of speech (5 frames) to start, 200 ms of silence (10 frames) to stop. */
    private static final Settings SETTINGS = new Settings(0.5f, 0.35f, 100, 200);

    /** Feeds one frame per scripted window (window = frame) and returns the transition of each frame. */
    private static List<Transition> run(SpeechDetector detector, int frames) {
        List<Transition> transitions = new ArrayList<>();
        short[] frame = new short[FRAME];
        for (int i = 0; i < frames; i++) {
            transitions.add(detector.accept(frame));
        }
        return transitions;
    }

    @Test
    void speechStartsOnceItHasLastedTheMinimumAndIsDatedFromItsFirstWindow() {
        var vad = new ScriptedDetector(FRAME, script(repeat(0.1f, 10), repeat(0.9f, 8)));
        var detector = new SpeechDetector(vad, SETTINGS);

        List<Transition> transitions = run(detector, 18);

        assertThat(transitions.indexOf(Transition.STARTED)).isEqualTo(14);
        assertThat(transitions).containsOnlyOnce(Transition.STARTED).doesNotContain(Transition.STOPPED);
        assertThat(detector.inSpeech()).isTrue();
        assertThat(detector.speechStartSample()).isEqualTo(10L * FRAME);
        assertThat(detector.speechEndSample()).isEqualTo(-1);
        assertThat(detector.samplesSeen()).isEqualTo(18L * FRAME);
        assertThat(detector.lastProbability()).isEqualTo(0.9f);
    }

    @Test
    void burstsShorterThanTheMinimumSpeechNeverStart() {
        var vad = new ScriptedDetector(FRAME, script(repeat(0.9f, 4), repeat(0.2f, 1), repeat(0.9f, 4),
                repeat(0.45f, 1), repeat(0.9f, 4)));
        var detector = new SpeechDetector(vad, SETTINGS);

        assertThat(run(detector, 14)).containsOnly(Transition.NONE);
        assertThat(detector.inSpeech()).isFalse();
        assertThat(detector.speechStartSample()).isEqualTo(-1);
    }

    @Test
    void speechStopsAfterTheMinimumSilenceAndEndsWhereTheSilenceBegan() {
        var vad = new ScriptedDetector(FRAME, script(repeat(0.9f, 5), repeat(0.9f, 3), repeat(0.1f, 12)));
        var detector = new SpeechDetector(vad, SETTINGS);

        List<Transition> transitions = run(detector, 20);

        assertThat(transitions.indexOf(Transition.STARTED)).isEqualTo(4);
        assertThat(transitions.indexOf(Transition.STOPPED)).isEqualTo(17);
        assertThat(detector.inSpeech()).isFalse();
        assertThat(detector.speechStartSample()).isZero();
        assertThat(detector.speechEndSample()).isEqualTo(8L * FRAME);
    }

    @Test
    void probabilitiesBetweenTheThresholdsKeepSpeechGoingAndRestartTheSilenceCount() {
        // In speech: 9 windows under the stop threshold, one at 0.4 (under start, over stop), 9 more under.
        var vad = new ScriptedDetector(FRAME, script(repeat(0.9f, 5), repeat(0.3f, 9), repeat(0.4f, 1),
                repeat(0.3f, 9), repeat(0.3f, 1)));
        var detector = new SpeechDetector(vad, SETTINGS);

        List<Transition> transitions = run(detector, 25);

        assertThat(transitions.subList(0, 24)).containsOnlyOnce(Transition.STARTED).doesNotContain(Transition.STOPPED);
        assertThat(transitions.get(24)).isEqualTo(Transition.STOPPED);
        assertThat(detector.speechEndSample()).isEqualTo(15L * FRAME);
    }

    @Test
    void probabilitiesBetweenTheThresholdsDoNotCountTowardsStarting() {
        var vad = new ScriptedDetector(FRAME, repeat(0.45f, 30));
        var detector = new SpeechDetector(vad, SETTINGS);
        assertThat(run(detector, 30)).containsOnly(Transition.NONE);
    }

    @Test
    void framesAreRegroupedIntoTheDetectorsWindowsAndTimestampsCountWindows() {
        // A Silero-sized window: 512 samples, so 8 frames of 320 fill exactly 5 windows.
        var vad = new ScriptedDetector(512, script(repeat(0.0f, 5), repeat(1f, 20)));
        var detector = new SpeechDetector(vad, SETTINGS);
        short[] stream = new short[40 * FRAME];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = (short) i;
        }
        int startedAtFrame = -1;
        for (int f = 0; f < 40; f++) {
            if (detector.accept(stream, f * FRAME) == Transition.STARTED) {
                startedAtFrame = f;
            }
        }

        assertThat(vad.windows).hasSize(40 * FRAME / 512);
        for (int w = 0; w < vad.windows.size(); w++) {
            short[] expected = new short[512];
            System.arraycopy(stream, w * 512, expected, 0, 512);
            assertThat(vad.windows.get(w)).as("window %d", w).isEqualTo(expected);
        }
        // Speech from window 5 (sample 2560); 100 ms = 1600 samples needs windows 5..8, complete at sample 4608,
        // which arrives in frame 14 (samples 4480..4800).
        assertThat(detector.speechStartSample()).isEqualTo(5 * 512);
        assertThat(startedAtFrame).isEqualTo(14);
    }

    @Test
    void windowsSmallerThanAFrameStillGiveAtMostOneTransitionPerFrame() {
        var vad = new ScriptedDetector(160, script(repeat(0.9f, 10), repeat(0.1f, 20), repeat(0.9f, 10)));
        var detector = new SpeechDetector(vad, SETTINGS);

        List<Transition> transitions = run(detector, 15);
        assertThat(transitions.indexOf(Transition.STARTED)).isEqualTo(4);
        assertThat(transitions.indexOf(Transition.STOPPED)).isEqualTo(14);
        assertThat(detector.speechEndSample()).isEqualTo(10L * 160);

        transitions.addAll(run(detector, 5));
        assertThat(transitions.lastIndexOf(Transition.STARTED)).isEqualTo(19);
        assertThat(transitions).containsOnlyOnce(Transition.STOPPED);
        assertThat(detector.speechStartSample()).isEqualTo(30L * 160);
        assertThat(detector.speechEndSample()).as("speaking again").isEqualTo(-1);
    }

    @Test
    void resetForgetsEverythingIncludingTheDetectorsState() {
        var vad = new ScriptedDetector(512, repeat(0.9f, 100));
        var detector = new SpeechDetector(vad, SETTINGS);
        run(detector, 13);
        assertThat(detector.inSpeech()).isTrue();

        detector.reset();

        assertThat(vad.resets).isEqualTo(1);
        assertThat(detector.inSpeech()).isFalse();
        assertThat(detector.samplesSeen()).isZero();
        assertThat(detector.speechStartSample()).isEqualTo(-1);
        assertThat(detector.lastProbability()).isZero();
        vad.windows.clear();
        run(detector, 8);
        assertThat(vad.windows).hasSize(5); // the partial window from before the reset was dropped
    }

    @Test
    void closingClosesTheWrappedDetector() {
        var vad = new ScriptedDetector(512);
        new SpeechDetector(vad, SETTINGS).close();
        assertThat(vad.closed).isTrue();
    }

    @Test
    void refusesSettingsThatCannotWork() {
        assertThatThrownBy(() -> new Settings(0.3f, 0.5f, 100, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(0f, 0f, 100, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(1.5f, 0.5f, 100, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(0.5f, 0.3f, -1, 100)).isInstanceOf(IllegalArgumentException.class);
        var vad = new ScriptedDetector(512);
        assertThatThrownBy(() -> new SpeechDetector(vad, new Settings(0.5f, 0.3f, 10, 100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one frame");
        var detector = new SpeechDetector(vad, SETTINGS);
        assertThatThrownBy(() -> detector.accept(new short[160])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> detector.accept(new short[400], 100)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
