package dev.palaver.media.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.palaver.media.audio.Signals;
import org.junit.jupiter.api.Test;

class PowerSpectrumTest {

    @Test
    void matchesADirectFourierTransformOfTheHannWindowedZeroPaddedWindow() {
        int window = 320;
        short[] samples = Signals.whiteNoise(window + 5, 3000, 1);
        PowerSpectrum spectrum = new PowerSpectrum(window);
        assertThat(spectrum.size()).isEqualTo(512);

        float[] power = spectrum.compute(samples, 5);

        for (int k = 0; k <= 256; k++) {
            double re = 0;
            double im = 0;
            for (int n = 0; n < window; n++) {
                double x = samples[5 + n] * (0.5 - 0.5 * Math.cos(2 * Math.PI * n / window));
                re += x * Math.cos(2 * Math.PI * k * n / 512);
                im -= x * Math.sin(2 * Math.PI * k * n / 512);
            }
            double expected = re * re + im * im;
            assertThat((double) power[k]).as("bin %d", k).isCloseTo(expected, within(expected * 1e-3 + 1));
        }
    }

    @Test
    void aToneLandsInItsBin() {
        float[] power = new PowerSpectrum(512).compute(Signals.sine(16_000, 1000, 10_000, 0.032), 0);
        int peak = 0;
        for (int k = 1; k < power.length; k++) {
            if (power[k] > power[peak]) {
                peak = k;
            }
        }
        assertThat(peak).isEqualTo(32); // 1000 Hz / (16000 Hz / 512)
    }
}
