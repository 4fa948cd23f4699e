package dev.palaver.media.audio;

import java.util.Random;

/** Test signals and measurements. */
public final class Signals {
    private Signals() {
    }

    public static short[] sine(int sampleRate, double frequency, double amplitude, double seconds) {
        short[] out = new short[(int) Math.round(sampleRate * seconds)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequency * i / sampleRate));
        }
        return out;
    }

    public static short[] whiteNoise(int samples, double rms, long seed) {
        Random random = new Random(seed);
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) Math.clamp(Math.round(random.nextGaussian() * rms), Short.MIN_VALUE, Short.MAX_VALUE);
        }
        return out;
    }

    public static double rms(short[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /** Amplitude of the sinusoid at {@code frequency} in {@code x[from..to)}, Hann-windowed so others do not leak in. */
    public static double toneAmplitude(short[] x, int from, int to, double frequency, int sampleRate) {
        double re = 0;
        double im = 0;
        double windowSum = 0;
        int n = to - from;
        for (int i = 0; i < n; i++) {
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
            double phase = 2 * Math.PI * frequency * (from + i) / sampleRate;
            re += w * x[from + i] * Math.cos(phase);
            im += w * x[from + i] * Math.sin(phase);
            windowSum += w;
        }
        return 2 * Math.hypot(re, im) / windowSum;
    }

    /** Frequency from upward zero crossings, interpolated between samples. */
    public static double zeroCrossingFrequency(short[] x, int from, int to, int sampleRate) {
        double first = Double.NaN;
        double last = Double.NaN;
        int crossings = 0;
        for (int i = from + 1; i < to; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                double at = i - 1 + (double) -x[i - 1] / (x[i] - x[i - 1]);
                if (crossings == 0) {
                    first = at;
                }
                last = at;
                crossings++;
            }
        }
        return (crossings - 1) * sampleRate / (last - first);
    }

    public static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }
}
