package dev.palaver.media.vad;

/** Hann-windowed power spectrum of a fixed-size window by an in-place radix-2 FFT; reuses its arrays. */
final class PowerSpectrum {
    private final int windowSamples;
    private final int size;
    private final float[] hann;
    private final float[] cos;
    private final float[] sin;
    private final int[] bitReversed;
    private final float[] re;
    private final float[] im;
    private final float[] power;

    PowerSpectrum(int windowSamples) {
        this.windowSamples = windowSamples;
        this.size = Integer.highestOneBit(Math.max(2, windowSamples - 1)) << 1;
        hann = new float[windowSamples];
        for (int i = 0; i < windowSamples; i++) {
            hann[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / windowSamples));
        }
        cos = new float[size / 2];
        sin = new float[size / 2];
        for (int i = 0; i < size / 2; i++) {
            cos[i] = (float) Math.cos(2 * Math.PI * i / size);
            sin[i] = (float) -Math.sin(2 * Math.PI * i / size);
        }
        int bits = Integer.numberOfTrailingZeros(size);
        bitReversed = new int[size];
        for (int i = 0; i < size; i++) {
            bitReversed[i] = Integer.reverse(i) >>> (32 - bits);
        }
        re = new float[size];
        im = new float[size];
        power = new float[size / 2 + 1];
    }

    /** Transform size (the window zero-padded to a power of two). */
    int size() {
        return size;
    }

    /** Power in bins {@code 0 .. size / 2}; the array is overwritten by the next call. */
    float[] compute(short[] samples, int offset) {
        for (int i = 0; i < size; i++) {
            int from = bitReversed[i];
            re[i] = from < windowSamples ? samples[offset + from] * hann[from] : 0f;
            im[i] = 0f;
        }
        for (int half = 1; half < size; half <<= 1) {
            int twiddleStep = size / (2 * half);
            for (int start = 0; start < size; start += 2 * half) {
                for (int k = 0; k < half; k++) {
                    float wr = cos[k * twiddleStep];
                    float wi = sin[k * twiddleStep];
                    int a = start + k;
                    int b = a + half;
                    float tr = re[b] * wr - im[b] * wi;
                    float ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
        for (int k = 0; k <= size / 2; k++) {
            power[k] = re[k] * re[k] + im[k] * im[k];
        }
        return power;
    }
}
