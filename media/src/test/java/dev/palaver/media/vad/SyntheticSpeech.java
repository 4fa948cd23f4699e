package dev.palaver.media.vad;

import java.util.Random;

/**
 * Voiced-speech-like test audio at 16 kHz: a harmonic source whose fundamental glides between 120 and
 * 250 Hz, shaped by three formant resonances that change vowel every syllable, with a -6 dB/octave tilt
 * and a 4 Hz syllabic amplitude envelope.
 */
public final class SyntheticSpeech {
    public static final int RATE = 16_000;
    private static final double[][] VOWELS = {
        {730, 1090, 2440}, {270, 2290, 3010}, {300, 870, 2240}, {530, 1840, 2480}, {570, 840, 2410},
    };

    private SyntheticSpeech() {
    }

    /** {@code seconds} of speech whose loudest syllables peak near {@code peak}. */
    public static short[] speech(double seconds, double peak, long seed) {
        Random random = new Random(seed);
        int n = (int) Math.round(seconds * RATE);
        short[] out = new short[n];
        double[] phases = new double[40];
        double glideRate = 0.5 + random.nextDouble();
        double glideOffset = random.nextDouble() * 2 * Math.PI;
        double[] raw = new double[n];
        double max = 0;
        for (int i = 0; i < n; i++) {
            double t = (double) i / RATE;
            double f0 = 185 + 65 * Math.sin(2 * Math.PI * glideRate * t + glideOffset);
            int syllable = (int) (t * 4);
            double[] formants = VOWELS[Math.floorMod(syllable * 7 + (int) seed, VOWELS.length)];
            double envelope = 0.5 - 0.5 * Math.cos(2 * Math.PI * 4 * t);
            double sample = 0;
            for (int h = 1; h <= phases.length; h++) {
                double f = h * f0;
                if (f > 4000) {
                    break;
                }
                phases[h - 1] += 2 * Math.PI * f / RATE;
                double gain = 0;
                for (int k = 0; k < 3; k++) {
                    double bandwidth = 80 + 40 * k;
                    double detune = (f - formants[k]) / bandwidth;
                    gain += (k == 0 ? 1.0 : 0.5 / k) / (1 + detune * detune);
                }
                sample += gain * (150 / f) * Math.sin(phases[h - 1]);
            }
            raw[i] = envelope * sample;
            max = Math.max(max, Math.abs(raw[i]));
        }
        for (int i = 0; i < n; i++) {
            out[i] = (short) Math.round(raw[i] / max * peak);
        }
        return out;
    }

    public static short[] silence(double seconds) {
        return new short[(int) Math.round(seconds * RATE)];
    }

    public static short[] whiteNoise(double seconds, double rms, long seed) {
        return dev.palaver.media.audio.Signals.whiteNoise((int) Math.round(seconds * RATE), rms, seed);
    }

    public static short[] mix(short[] a, short[] b) {
        short[] out = new short[Math.max(a.length, b.length)];
        for (int i = 0; i < out.length; i++) {
            int sum = (i < a.length ? a[i] : 0) + (i < b.length ? b[i] : 0);
            out[i] = (short) Math.clamp(sum, Short.MIN_VALUE, Short.MAX_VALUE);
        }
        return out;
    }

    public static short[] concat(short[]... parts) {
        int length = 0;
        for (short[] part : parts) {
            length += part.length;
        }
        short[] out = new short[length];
        int at = 0;
        for (short[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
