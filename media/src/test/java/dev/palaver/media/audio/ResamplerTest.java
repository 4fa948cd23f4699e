package dev.palaver.media.audio;

import static dev.palaver.media.audio.Signals.db;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {
    private static final double AMPLITUDE = 10_000;

    private static short[] resampleAll(int from, int to, short[] input) {
        Resampler resampler = new Resampler(from, to);
        short[] out = new short[resampler.outputLength(input.length)];
        int written = resampler.process(input, 0, input.length, out, 0);
        assertThat(written).isEqualTo(out.length);
        return out;
    }

    @ParameterizedTest(name = "{2} Hz through {0} -> {1}")
    @CsvSource({
        "8000, 16000, 440", "8000, 16000, 1000",
        "16000, 8000, 440", "16000, 8000, 1000",
        "48000, 16000, 440", "48000, 16000, 1000",
        "16000, 24000, 440", "16000, 24000, 1000",
        "16000, 48000, 1000", "24000, 16000, 1000", "8000, 48000, 440", "48000, 8000, 1000",
    })
    void toneKeepsItsFrequencyAndLevel(int from, int to, double frequency) {
        short[] out = resampleAll(from, to, Signals.sine(from, frequency, AMPLITUDE, 1.0));

        assertThat(out).hasSize(to);
        int start = to / 10;
        int end = to - to / 10;
        assertThat(Signals.zeroCrossingFrequency(out, start, end, to)).isCloseTo(frequency, within(0.5));
        double amplitude = Signals.toneAmplitude(out, start, end, frequency, to);
        assertThat(db(amplitude / AMPLITUDE)).isCloseTo(0.0, within(0.1));
        // Everything that is not the tone (distortion, images, noise) is far below it.
        double toneRms = amplitude / Math.sqrt(2);
        double residual = Math.sqrt(Math.max(0, Math.pow(Signals.rms(out, start, end), 2) - toneRms * toneRms));
        assertThat(db(residual / toneRms)).isLessThan(-40);
    }

    @ParameterizedTest(name = "{2} Hz through {0} -> {1}")
    @CsvSource({
        "16000, 8000, 6000", "16000, 8000, 4200",
        "48000, 16000, 12000", "48000, 16000, 8500", "48000, 8000, 20000",
        "24000, 16000, 10000", "48000, 24000, 15000",
    })
    void contentAboveTheTargetNyquistIsAttenuatedByAtLeast40Db(int from, int to, double frequency) {
        short[] out = resampleAll(from, to, Signals.sine(from, frequency, AMPLITUDE, 1.0));

        double rms = Signals.rms(out, to / 10, to - to / 10);
        assertThat(db(rms / (AMPLITUDE / Math.sqrt(2)))).isLessThan(-40);
    }

    @ParameterizedTest(name = "{2} Hz through {0} -> {1}, image at {3} Hz")
    @CsvSource({
        "8000, 16000, 1000, 7000", "8000, 16000, 3000, 5000",
        "16000, 48000, 1000, 15000", "16000, 24000, 3000, 13000", "8000, 48000, 1000, 9000",
    })
    void upsamplingRejectsSpectralImages(int from, int to, double frequency, double image) {
        short[] out = resampleAll(from, to, Signals.sine(from, frequency, AMPLITUDE, 1.0));

        double imageAmplitude = Signals.toneAmplitude(out, to / 10, to - to / 10, image, to);
        assertThat(db(imageAmplitude / AMPLITUDE)).isLessThan(-40);
    }

    @Test
    void passbandIsFlatUpToTheEdge() {
        // 3.3 kHz is the top of the telephone band.
        short[] out = resampleAll(8000, 16000, Signals.sine(8000, 3300, AMPLITUDE, 1.0));
        assertThat(db(Signals.toneAmplitude(out, 1600, 14_400, 3300, 16000) / AMPLITUDE)).isCloseTo(0.0, within(0.1));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"8000, 16000", "16000, 8000", "48000, 16000", "16000, 24000", "24000, 16000", "16000, 48000",
        "44100, 16000", "16000, 16000"})
    void streamingIn20msChunksGivesTheSameOutputAsOneCall(int from, int to) {
        short[] input = Signals.whiteNoise(from, 4000, 7);
        short[] whole = resampleAll(from, to, input);

        Resampler streaming = new Resampler(from, to);
        int chunk = AudioFormat.samplesFor(from, 20);
        short[] frameOut = new short[streaming.maxOutputLength(chunk)];
        short[] joined = new short[whole.length];
        int total = 0;
        for (int offset = 0; offset < input.length; offset += chunk) {
            int length = Math.min(chunk, input.length - offset);
            int expected = streaming.outputLength(length);
            int written = streaming.process(input, offset, length, frameOut, 0);
            assertThat(written).isEqualTo(expected).isLessThanOrEqualTo(streaming.maxOutputLength(length));
            System.arraycopy(frameOut, 0, joined, total, written);
            total += written;
        }
        assertThat(total).isEqualTo(whole.length);
        assertThat(joined).isEqualTo(whole);
    }

    @Test
    void irregularChunksGiveTheSameOutputAsOneCall() {
        short[] input = Signals.whiteNoise(24_000, 4000, 11);
        short[] whole = resampleAll(24_000, 16_000, input);

        Resampler streaming = new Resampler(24_000, 16_000);
        short[] joined = new short[whole.length];
        Random random = new Random(3);
        int total = 0;
        for (int offset = 0; offset < input.length; ) {
            int length = Math.min(random.nextInt(0, 700), input.length - offset);
            total += streaming.process(input, offset, length, joined, total);
            offset += length;
        }
        assertThat(total).isEqualTo(whole.length);
        assertThat(joined).isEqualTo(whole);
    }

    @Test
    void outputCountTracksTheRateRatioExactlyOverTime() {
        Resampler resampler = new Resampler(24_000, 16_000);
        short[] out = new short[resampler.maxOutputLength(7)];
        short[] in = new short[7];
        long produced = 0;
        for (int calls = 1; calls <= 3000; calls++) {
            produced += resampler.process(in, 0, 7, out, 0);
            assertThat(produced).isEqualTo((7L * calls * 2 + 2) / 3);
        }
    }

    @Test
    void resetForgetsHistory() {
        short[] first = Signals.whiteNoise(1600, 4000, 1);
        short[] second = Signals.sine(16_000, 700, AMPLITUDE, 0.1);
        Resampler used = new Resampler(16_000, 8000);
        short[] scratch = new short[used.maxOutputLength(1601)];
        used.process(first, 0, 1599, scratch, 0);
        used.reset();

        short[] afterReset = new short[used.outputLength(second.length)];
        used.process(second, 0, second.length, afterReset, 0);
        assertThat(afterReset).isEqualTo(resampleAll(16_000, 8000, second));
    }

    @Test
    void reportedDelayIsWhereAnImpulseComesOut() {
        for (int[] rates : new int[][] {{8000, 16000}, {16000, 8000}, {48000, 16000}, {16000, 24000}}) {
            short[] impulse = new short[rates[0] / 10];
            impulse[0] = 20_000;
            short[] out = resampleAll(rates[0], rates[1], impulse);
            int peak = 0;
            for (int i = 1; i < out.length; i++) {
                if (Math.abs(out[i]) > Math.abs(out[peak])) {
                    peak = i;
                }
            }
            double delaySamples = new Resampler(rates[0], rates[1]).delaySeconds() * rates[1];
            assertThat((double) peak).as("%d -> %d", rates[0], rates[1]).isCloseTo(delaySamples, within(1.0));
        }
    }

    @Test
    void wholeClipConversionHasTheScaledLengthAndNoDelay() {
        for (int[] rates : new int[][] {{8000, 16000}, {16000, 8000}, {48000, 16000}, {22050, 16000}}) {
            int from = rates[0];
            int to = rates[1];
            short[] impulse = new short[from / 5 + 7];
            int at = from / 10;
            impulse[at] = 20_000;
            short[] out = Resampler.convert(impulse, from, to);
            assertThat(out).as("%d -> %d", from, to).hasSize((int) Math.round((double) impulse.length * to / from));
            int peak = 0;
            for (int i = 1; i < out.length; i++) {
                if (Math.abs(out[i]) > Math.abs(out[peak])) {
                    peak = i;
                }
            }
            assertThat((double) peak).as("%d -> %d", from, to).isCloseTo((double) at * to / from, within(1.0));
        }
    }

    @Test
    void wholeClipConversionKeepsTheEndOfTheClip() {
        short[] tone = Signals.sine(8000, 440, AMPLITUDE, 0.5);
        short[] out = Resampler.convert(tone, 8000, 16000);
        assertThat(Signals.rms(out, out.length - 160, out.length - 20)).isGreaterThan(AMPLITUDE / Math.sqrt(2) * 0.8);
    }

    @Test
    void wholeClipConversionAtTheSameRateIsACopy() {
        short[] input = Signals.whiteNoise(1000, 4000, 9);
        short[] out = Resampler.convert(input, 16_000, 16_000);
        assertThat(out).isEqualTo(input).isNotSameAs(input);
    }

    @Test
    void overshootClipsInsteadOfWrappingAround() {
        short[] square = new short[8000];
        for (int i = 0; i < square.length; i++) {
            square[i] = (i / 400) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
        }
        short[] out = resampleAll(8000, 16000, square);
        int delay = (int) Math.round(new Resampler(8000, 16000).delaySeconds() * 16000);
        for (int i = 1600 + delay + 40; i < 2400 + delay - 40; i++) {
            assertThat(out[i]).as("sample %d in a positive half", i).isGreaterThan((short) 30_000);
        }
        assertThat(Arrays.stream(toInts(out)).max().orElseThrow()).isEqualTo(Short.MAX_VALUE);
    }

    @Test
    void sameRateIsAPlainCopy() {
        short[] input = Signals.whiteNoise(333, 4000, 5);
        assertThat(resampleAll(16_000, 16_000, input)).isEqualTo(input);
        assertThat(new Resampler(16_000, 16_000).delaySeconds()).isZero();
    }

    @Test
    void rejectsImpossibleRatesAndTooSmallOutputBuffers() {
        assertThatThrownBy(() -> new Resampler(0, 16_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Resampler(16_000, -8000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Resampler(16_000, 16_001)).isInstanceOf(IllegalArgumentException.class);
        Resampler resampler = new Resampler(8000, 16000);
        assertThatThrownBy(() -> resampler.process(new short[160], 0, 160, new short[319], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static int[] toInts(short[] samples) {
        int[] ints = new int[samples.length];
        for (int i = 0; i < samples.length; i++) {
            ints[i] = samples[i];
        }
        return ints;
    }
}
