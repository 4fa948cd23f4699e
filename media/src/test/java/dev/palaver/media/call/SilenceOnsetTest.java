package dev.palaver.media.call;

import static dev.palaver.media.vad.SyntheticSpeech.concat;
import static dev.palaver.media.vad.SyntheticSpeech.mix;
import static dev.palaver.media.vad.SyntheticSpeech.silence;
import static dev.palaver.media.vad.SyntheticSpeech.speech;
import static dev.palaver.media.vad.SyntheticSpeech.whiteNoise;
import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.vad.EnergyVoiceActivityDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's turn detector dates the caller's silence from where their speech ended, not from the
 * window in which the detector's probability finally fell below the stop threshold. Frames carry the
 * virtual clock reading of their last sample, as they would arriving in real time.
 */
class SilenceOnsetTest {
    private static final long FRAME_NANOS = 20_000_000L;

    /** Speech onsets and silence onsets, in nanoseconds, from feeding {@code audio} in 20 ms frames. */
    private static List<Long> stops(short[] audio) {
        List<Long> stops = new ArrayList<>();
        TurnDetector.Transitions out = new TurnDetector.Transitions() {
            @Override
            public void speechStarted(long onsetNanos) {
            }

            @Override
            public void speechStopped(long silenceOnsetNanos) {
                stops.add(silenceOnsetNanos);
            }
        };
        TurnDetector detector = new TurnDetector(new EnergyVoiceActivityDetector(), CallSettings.builder().build());
        int frame = AudioFormat.SAMPLES_PER_FRAME;
        for (int i = 0; (i + 1) * frame <= audio.length; i++) {
            short[] samples = new short[frame];
            System.arraycopy(audio, i * frame, samples, 0, frame);
            detector.accept(samples, (i + 1) * FRAME_NANOS, out);
        }
        return stops;
    }

    @Test
    void silenceAfterSpeechIsDatedAtTheEndOfTheSpeechWithinOneFrame() {
        // 1 s of silence, 2 s of speech (ending at 3.000 s), 1.5 s of digital silence.
        List<Long> stops = stops(concat(silence(1), speech(2, 8000, 1), silence(1.5)));

        assertThat(stops).hasSize(1);
        assertThat(stops.getFirst()).isBetween(3_000_000_000L - FRAME_NANOS, 3_000_000_000L + FRAME_NANOS);
    }

    @Test
    void silenceUnderLowLineNoiseIsDatedAtTheEndOfTheSpeechWithinOneFrame() {
        // The same call under -61 dBFS hiss throughout: the hiss is no voice for a call this loud.
        short[] clean = concat(silence(1), speech(2, 8000, 7), silence(1.5));
        List<Long> stops = stops(mix(clean, whiteNoise(4.5, 30, 11)));

        assertThat(stops).hasSize(1);
        assertThat(stops.getFirst()).isBetween(3_000_000_000L - FRAME_NANOS, 3_000_000_000L + FRAME_NANOS);
    }

    @Test
    void aShortPauseMidSentenceIsNoSilence() {
        // Two phrases 150 ms apart: shorter than the minimum silence, so one utterance, dated at its end.
        List<Long> stops = stops(concat(silence(1), speech(1, 8000, 2), silence(0.15), speech(1, 8000, 3),
                silence(1.5)));

        assertThat(stops).hasSize(1);
        // The syllable envelope fades out: its last 14 ms are 30 dB down, and blocks are 8 ms.
        assertThat(stops.getFirst()).isBetween(3_150_000_000L - 24_000_000L, 3_150_000_000L);
    }
}
