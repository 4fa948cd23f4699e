package dev.palaver.media.vad;

import static dev.palaver.media.vad.SyntheticSpeech.RATE;
import static dev.palaver.media.vad.SyntheticSpeech.concat;
import static dev.palaver.media.vad.SyntheticSpeech.mix;
import static dev.palaver.media.vad.SyntheticSpeech.silence;
import static dev.palaver.media.vad.SyntheticSpeech.speech;
import static dev.palaver.media.vad.SyntheticSpeech.whiteNoise;
import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.vad.SpeechDetector.Settings;
import dev.palaver.media.vad.SpeechDetector.Transition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The energy detector behind the hysteresis, on synthetic calls, as the engine will run them. */
class SpeechSegmentationTest {

    record Event(Transition transition, long atSample, long speechStart, long speechEnd) {
        double atSeconds() {
            return (double) atSample / RATE;
        }
    }

    private static List<Event> segment(short[] audio, Settings settings) {
        try (var detector = new SpeechDetector(new EnergyVoiceActivityDetector(), settings)) {
            List<Event> events = new ArrayList<>();
            for (int at = 0; at + AudioFormat.SAMPLES_PER_FRAME <= audio.length; at += AudioFormat.SAMPLES_PER_FRAME) {
                Transition transition = detector.accept(audio, at);
                if (transition != Transition.NONE) {
                    events.add(new Event(transition, detector.samplesSeen(), detector.speechStartSample(),
                            detector.speechEndSample()));
                    assertThat(detector.inSpeech()).isEqualTo(transition == Transition.STARTED);
                }
            }
            return events;
        }
    }

    private static long samples(double seconds) {
        return Math.round(seconds * RATE);
    }

    @Test
    void onlyTheSpeechPartsOfACallAreSpeech() {
        short[] call = concat(
                silence(1),                                                      // 0 - 1 s
                speech(2, 8000, 1),                                              // 1 - 3 s
                silence(1),                                                      // 3 - 4 s
                whiteNoise(2, 60, 2),                                            // 4 - 6 s: -55 dBFS hiss
                whiteNoise(2, 3000, 3),                                          // 6 - 8 s: -21 dBFS noise
                mix(speech(2, 8000, 4), whiteNoise(2, 60, 5)),                   // 8 - 10 s
                silence(1.5));                                                   // 10 - 11.5 s
        Settings settings = Settings.defaults(); // 100 ms to start, 500 ms to stop

        List<Event> events = segment(call, settings);

        assertThat(events).extracting(Event::transition)
                .containsExactly(Transition.STARTED, Transition.STOPPED, Transition.STARTED, Transition.STOPPED);
        Event firstStart = events.get(0);
        assertThat(firstStart.speechStart()).isBetween(samples(1.0) - 512, samples(1.1));
        assertThat(firstStart.atSeconds()).isBetween(1.1, 1.25);
        Event firstStop = events.get(1);
        assertThat(firstStop.speechEnd()).isBetween(samples(2.85), samples(3.0) + 512);
        assertThat(firstStop.atSample()).isBetween(firstStop.speechEnd() + samples(0.5),
                firstStop.speechEnd() + samples(0.5) + 512 + 320);
        assertThat(events.get(2).speechStart()).isBetween(samples(8.0) - 512, samples(8.1));
        assertThat(events.get(3).speechEnd()).isBetween(samples(9.85), samples(10.0) + 512);
    }

    @Test
    void aBurstShorterThanTheMinimumSpeechDoesNotStart() {
        // One 250 ms syllable whose loud part lasts about 150 ms.
        short[] audio = concat(silence(0.5), speech(0.25, 8000, 6), silence(1));
        assertThat(segment(audio, new Settings(0.5f, 0.35f, 300, 500))).isEmpty();
        assertThat(segment(audio, new Settings(0.5f, 0.35f, 100, 500))).extracting(Event::transition)
                .containsExactly(Transition.STARTED, Transition.STOPPED);
    }

    @Test
    void aPauseShorterThanTheMinimumSilenceKeepsOneSegment() {
        short[] audio = concat(silence(0.5), speech(1, 8000, 7), silence(0.4), speech(1, 8000, 8), silence(1.5));

        assertThat(segment(audio, new Settings(0.5f, 0.35f, 100, 700))).extracting(Event::transition)
                .containsExactly(Transition.STARTED, Transition.STOPPED);
        List<Event> split = segment(audio, new Settings(0.5f, 0.35f, 100, 250));
        assertThat(split).extracting(Event::transition)
                .containsExactly(Transition.STARTED, Transition.STOPPED, Transition.STARTED, Transition.STOPPED);
        assertThat(split.get(1).speechEnd()).isBetween(samples(1.35), samples(1.5) + 512);
        assertThat(split.get(2).speechStart()).isBetween(samples(1.9) - 512, samples(2.0));
    }
}
