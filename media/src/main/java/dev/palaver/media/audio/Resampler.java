package dev.palaver.media.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * Streaming sample-rate converter for PCM16 mono: a rational L/M polyphase FIR whose prototype is a
 * Kaiser-windowed sinc low-pass. The cut-off sits below half the lower of the two rates, so downsampling
 * removes what would alias and upsampling removes the spectral images. Filter history is kept between
 * calls: feeding audio in any chunking gives exactly the output of one call over the whole stream.
 * Nothing is allocated after construction. One instance per stream, used by one thread.
 */
public final class Resampler {
    /** Audio up to this fraction of the lower rate passes unchanged (3.36 kHz at 8 kHz, 6.72 kHz at 16 kHz). */
    static final double PASSBAND_EDGE = 0.42;
    /** Attenuation from half the lower rate upwards. */
    static final double STOPBAND_ATTENUATION_DB = 80.0;
    private static final int MAX_PHASES = 1024;

    private final int inputRate;
    private final int outputRate;
    private final int up;
    private final int down;
    private final int taps;
    private final int prototypeLength;
    /** Phase-major: coefficient k of phase p is at {@code p * taps + k}; applies to the input k samples back. */
    private final float[] coefficients;
    /** The last {@code taps} inputs, written twice so a window of them is always contiguous. */
    private final float[] history;
    private int newest;
    /** Position of the next output, in upsampled samples, relative to the newest input. */
    private int position;

    public Resampler(int inputRate, int outputRate) {
        if (inputRate <= 0 || outputRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + inputRate + " -> " + outputRate);
        }
        int gcd = gcd(inputRate, outputRate);
        this.inputRate = inputRate;
        this.outputRate = outputRate;
        this.up = outputRate / gcd;
        this.down = inputRate / gcd;
        if (up > MAX_PHASES) {
            throw new IllegalArgumentException("rate ratio " + inputRate + " -> " + outputRate + " needs too many phases");
        }
        if (inputRate == outputRate) {
            taps = 0;
            prototypeLength = 0;
            coefficients = new float[0];
            history = new float[0];
            return;
        }
        double upsampledRate = (double) inputRate * up;
        double lowerRate = Math.min(inputRate, outputRate);
        double transition = (0.5 - PASSBAND_EDGE) * lowerRate / upsampledRate;
        double cutoff = (PASSBAND_EDGE + 0.5) / 2 * lowerRate / upsampledRate;
        int kaiserLength = (int) Math.ceil((STOPBAND_ATTENUATION_DB - 7.95) / (14.36 * transition)) + 1;
        taps = (kaiserLength + up - 1) / up;
        prototypeLength = taps * up;
        coefficients = design(prototypeLength, cutoff, up, taps);
        history = new float[2 * taps];
    }

    public int inputRate() {
        return inputRate;
    }

    public int outputRate() {
        return outputRate;
    }

    /** Exactly how many samples the next {@link #process} call with {@code inputLength} samples writes. */
    public int outputLength(int inputLength) {
        if (inputLength < 0) {
            throw new IllegalArgumentException("negative length " + inputLength);
        }
        long span = (long) inputLength * up - position;
        return span <= 0 ? 0 : (int) ((span + down - 1) / down);
    }

    /** An upper bound on {@link #outputLength} whatever the state: for sizing buffers once. */
    public int maxOutputLength(int inputLength) {
        return (int) (((long) inputLength * up + down - 1) / down);
    }

    /** How far the output lags the input, in seconds (the filter's group delay). */
    public double delaySeconds() {
        return inputRate == outputRate ? 0 : (prototypeLength - 1) / 2.0 / ((double) inputRate * up);
    }

    /**
     * Converts {@code in[inOffset .. inOffset + inLength)} and writes the result at {@code out[outOffset..]},
     * which must have room for {@link #outputLength}{@code (inLength)} samples.
     *
     * @return the number of samples written
     */
    public int process(short[] in, int inOffset, int inLength, short[] out, int outOffset) {
        Objects.checkFromIndexSize(inOffset, inLength, in.length);
        int expected = outputLength(inLength);
        Objects.checkFromIndexSize(outOffset, expected, out.length);
        if (taps == 0) {
            System.arraycopy(in, inOffset, out, outOffset, inLength);
            return inLength;
        }
        int written = 0;
        int end = inOffset + inLength;
        for (int i = inOffset; i < end; i++) {
            newest = newest == 0 ? taps - 1 : newest - 1;
            float sample = in[i];
            history[newest] = sample;
            history[newest + taps] = sample;
            while (position < up) {
                out[outOffset + written++] = toPcm16(dot(position * taps));
                position += down;
            }
            position -= up;
        }
        return written;
    }

    /**
     * Converts a whole clip at once: the result has {@code round(length * outputRate / inputRate)} samples and
     * is time-aligned with the input, because the filter's delay is flushed out with silence and cut off the
     * front. For streams use an instance and {@link #process}, whose output lags by {@link #delaySeconds}.
     */
    public static short[] convert(short[] samples, int inputRate, int outputRate) {
        Resampler resampler = new Resampler(inputRate, outputRate);
        if (inputRate == outputRate) {
            return samples.clone();
        }
        int length = (int) Math.round((double) samples.length * outputRate / inputRate);
        int delay = (int) Math.round(resampler.delaySeconds() * outputRate);
        int padding = (int) Math.ceil(resampler.delaySeconds() * inputRate) + 2;
        short[] out = new short[resampler.maxOutputLength(samples.length) + resampler.maxOutputLength(padding)];
        int written = resampler.process(samples, 0, samples.length, out, 0);
        written += resampler.process(new short[padding], 0, padding, out, written);
        short[] aligned = new short[length];
        System.arraycopy(out, delay, aligned, 0, Math.min(length, written - delay));
        return aligned;
    }

    /** Forgets the stream so far, as if newly constructed. */
    public void reset() {
        Arrays.fill(history, 0f);
        newest = 0;
        position = 0;
    }

    private float dot(int phaseStart) {
        float sum = 0f;
        float[] c = coefficients;
        float[] h = history;
        int base = newest;
        for (int k = 0; k < taps; k++) {
            sum += c[phaseStart + k] * h[base + k];
        }
        return sum;
    }

    private static short toPcm16(float value) {
        int rounded = Math.round(value);
        return (short) Math.clamp(rounded, Short.MIN_VALUE, Short.MAX_VALUE);
    }

    private static float[] design(int length, double cutoff, int phases, int taps) {
        double beta = 0.1102 * (STOPBAND_ATTENUATION_DB - 8.7);
        double centre = (length - 1) / 2.0;
        double[] prototype = new double[length];
        double sum = 0;
        for (int n = 0; n < length; n++) {
            double x = n - centre;
            double sinc = x == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
            double ratio = x / (centre + 0.5);
            double window = besselI0(beta * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / besselI0(beta);
            prototype[n] = sinc * window;
            sum += prototype[n];
        }
        // Each phase then has unity gain at DC: upsampling by zero-stuffing divides the level by L.
        double gain = phases / sum;
        float[] polyphase = new float[length];
        for (int p = 0; p < phases; p++) {
            for (int k = 0; k < taps; k++) {
                polyphase[p * taps + k] = (float) (prototype[p + k * phases] * gain);
            }
        }
        return polyphase;
    }

    private static double besselI0(double x) {
        double term = 1;
        double sum = 1;
        double quarterSquare = x * x / 4;
        for (int k = 1; term > 1e-12 * sum; k++) {
            term *= quarterSquare / ((double) k * k);
            sum += term;
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
