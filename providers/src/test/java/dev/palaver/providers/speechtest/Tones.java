package dev.palaver.providers.speechtest;

import dev.palaver.media.audio.Pcm16;

/** Test audio: sine tones as samples or PCM16 little-endian bytes, and their measured frequency. */
public final class Tones {

    private Tones() {
    }

    public static short[] sine(double hz, int rate, int samples, double amplitude) {
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return out;
    }

    public static byte[] bytes(short[] samples) {
        byte[] out = new byte[samples.length * 2];
        Pcm16.toBytes(samples, 0, out, 0, samples.length);
        return out;
    }

    /**
     * Frequency from rising zero crossings between {@code from} and {@code to}, interpolated to sub-sample
     * precision.
     */
    public static double frequency(short[] s, int rate, int from, int to) {
        double first = -1;
        double last = -1;
        int crossings = 0;
        for (int i = Math.max(1, from); i < to; i++) {
            if (s[i - 1] < 0 && s[i] >= 0) {
                double at = i - 1 + (double) -s[i - 1] / (s[i] - s[i - 1]);
                if (first < 0) {
                    first = at;
                } else {
                    crossings++;
                }
                last = at;
            }
        }
        return crossings * (double) rate / (last - first);
    }

    /** Root mean square level of {@code s[from..to)} relative to full scale. */
    public static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / (to - from)) / 32768.0;
    }
}
