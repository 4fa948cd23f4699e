package dev.palaver.media.vad;

import static dev.palaver.media.vad.SyntheticSpeech.concat;
import static dev.palaver.media.vad.SyntheticSpeech.mix;
import static dev.palaver.media.vad.SyntheticSpeech.silence;
import static dev.palaver.media.vad.SyntheticSpeech.speech;
import static dev.palaver.media.vad.SyntheticSpeech.whiteNoise;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palaver.media.vad.EnergyVoiceActivityDetector.Settings;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EnergyVoiceActivityDetectorTest {
    private static final int WINDOW = 512;
    /** -21 dBFS. */
    private static final double LOUD_NOISE_RMS = 3000;
    /** -55 dBFS. */
    private static final double LOW_NOISE_RMS = 60;

    private static float[] probabilities(VoiceActivityDetector vad, short[] audio) {
        float[] out = new float[audio.length / vad.windowSamples()];
        for (int w = 0; w < out.length; w++) {
            out[w] = vad.speechProbability(audio, w * vad.windowSamples());
        }
        return out;
    }

    private static float max(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** Fraction of windows with at least {@code threshold}. */
    private static double fractionAtLeast(float[] values, float threshold) {
        int count = 0;
        for (float v : values) {
            if (v >= threshold) {
                count++;
            }
        }
        return (double) count / values.length;
    }

    @Test
    void voicedSpeechScoresHighAndSilenceScoresZero() {
        var vad = new EnergyVoiceActivityDetector();
        assertThat(max(probabilities(vad, silence(1)))).isZero();

        float[] speech = probabilities(vad, speech(3, 8000, 1));
        // The 4 Hz envelope dips to nothing between syllables; the syllables themselves are speech.
        assertThat(fractionAtLeast(speech, 0.5f)).isGreaterThan(0.8);

        assertThat(max(probabilities(vad, silence(1)))).isZero();
    }

    @Test
    void quieterSpeechIsStillSpeechButSoundUnderTheAbsoluteFloorIsNot() {
        var vad = new EnergyVoiceActivityDetector();
        probabilities(vad, silence(0.5));
        // Peaks of 1000 (-30 dBFS): a quiet caller.
        assertThat(fractionAtLeast(probabilities(vad, speech(2, 1000, 2)), 0.5f)).isGreaterThan(0.7);
        // Peaks of 40 (-58 dBFS): below the -55 dBFS minimum.
        assertThat(max(probabilities(vad, speech(2, 40, 3)))).isZero();
    }

    @Test
    void steadyWhiteNoiseIsNotSpeechAtAnyLevel() {
        var vad = new EnergyVoiceActivityDetector();
        short[] audio = concat(silence(1), whiteNoise(2, LOW_NOISE_RMS, 1), whiteNoise(2, LOUD_NOISE_RMS, 2),
                silence(1), whiteNoise(2, LOUD_NOISE_RMS / 10, 3));
        assertThat(max(probabilities(vad, audio))).isLessThan(0.1f);
    }

    @Test
    void loudNoiseAtTheVeryStartIsRejectedBeforeTheNoiseFloorHasAdapted() {
        var vad = new EnergyVoiceActivityDetector();
        short[] noise = whiteNoise(0.1, LOUD_NOISE_RMS, 4);
        float first = vad.speechProbability(noise, 0);
        assertThat(vad.lastEnergyDbfs() - Settings.defaults().initialNoiseFloorDbfs()).as("SNR against the floor")
                .isGreaterThan(30f);
        assertThat(vad.lastFlatness()).isGreaterThan(0.4f);
        assertThat(first).isLessThan(0.1f);
    }

    @Test
    void theSpectralCueIsWhatRejectsNoise() {
        var lenient = new EnergyVoiceActivityDetector(new Settings(WINDOW, 10f, -55f, 0.95f, -60f, 3f, 0.4f));
        float first = lenient.speechProbability(whiteNoise(0.1, LOUD_NOISE_RMS, 5), 0);
        assertThat(first).as("noise counts as speech when any flatness is allowed").isGreaterThan(0.5f);
    }

    @Test
    void speechOverLowLevelNoiseIsStillSpeech() {
        var vad = new EnergyVoiceActivityDetector();
        probabilities(vad, whiteNoise(2, LOW_NOISE_RMS, 6));
        float[] noisySpeech = probabilities(vad, mix(speech(3, 8000, 7), whiteNoise(3, LOW_NOISE_RMS, 8)));
        assertThat(fractionAtLeast(noisySpeech, 0.5f)).isGreaterThan(0.75);
    }

    @Test
    void theNoiseFloorFollowsSteadyBackgroundSoundSoItStopsCountingAsSpeech() {
        var vad = new EnergyVoiceActivityDetector();
        // A steady 100 Hz mains hum with harmonics at about -30 dBFS: tonal, so only its steadiness gives it away.
        short[] hum = new short[12 * SyntheticSpeech.RATE];
        for (int i = 0; i < hum.length; i++) {
            double t = (double) i / SyntheticSpeech.RATE;
            hum[i] = (short) Math.round(800 * (Math.sin(2 * Math.PI * 100 * t) + 0.5 * Math.sin(2 * Math.PI * 300 * t)
                    + 0.3 * Math.sin(2 * Math.PI * 500 * t)));
        }
        float[] humProbabilities = probabilities(vad, hum);
        assertThat(humProbabilities[0]).as("at first the hum looks like speech").isGreaterThan(0.5f);
        float[] lastTwoSeconds = Arrays.copyOfRange(humProbabilities, humProbabilities.length - 62,
                humProbabilities.length);
        assertThat(max(lastTwoSeconds)).isLessThan(0.1f);
        assertThat(vad.noiseFloorDbfs()).isBetween(vad.lastEnergyDbfs() - 10f, vad.lastEnergyDbfs() + 1f);

        // Speech well above the hum is still speech: every syllable (4 a second) has speech windows.
        short[] speechOverHum = mix(speech(2, 12_000, 9), Arrays.copyOf(hum, 2 * SyntheticSpeech.RATE));
        float[] overHum = probabilities(vad, speechOverHum);
        double windowsPerSyllable = SyntheticSpeech.RATE / 4.0 / WINDOW;
        for (int syllable = 0; syllable < 8; syllable++) {
            float[] inSyllable = Arrays.copyOfRange(overHum, (int) Math.ceil(syllable * windowsPerSyllable),
                    (int) ((syllable + 1) * windowsPerSyllable));
            assertThat(max(inSyllable)).as("syllable %d", syllable).isGreaterThan(0.5f);
        }
    }

    @Test
    void theSpeechThresholdIsConfigurable() {
        var strict = new EnergyVoiceActivityDetector(new Settings(WINDOW, 80f, -55f, 0.3f, -60f, 3f, 0.4f));
        assertThat(max(probabilities(strict, speech(1, 8000, 10)))).isLessThan(0.1f);
    }

    @Test
    void resetReturnsToTheInitialNoiseFloor() {
        var vad = new EnergyVoiceActivityDetector();
        probabilities(vad, whiteNoise(2, LOUD_NOISE_RMS, 11));
        assertThat(vad.noiseFloorDbfs()).isGreaterThan(-30f);
        vad.reset();
        assertThat(vad.noiseFloorDbfs()).isEqualTo(Settings.defaults().initialNoiseFloorDbfs());
    }

    @Test
    void windowSizeIsConfigurableAndChecked() {
        var vad = new EnergyVoiceActivityDetector(new Settings(320, 10f, -55f, 0.3f, -60f, 3f, 0.4f));
        assertThat(vad.windowSamples()).isEqualTo(320);
        assertThat(fractionAtLeast(probabilities(vad, speech(2, 8000, 12)), 0.5f)).isGreaterThan(0.75);
        assertThatThrownBy(() -> vad.speechProbability(new short[400], 100)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new Settings(16, 10f, -55f, 0.3f, -60f, 3f, 0.4f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(512, 10f, -55f, 1.3f, -60f, 3f, 0.4f))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
