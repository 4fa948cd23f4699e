package dev.palaver.bench.engine;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.MuLaw;
import dev.palaver.media.audio.Resampler;
import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * What a caller sends over the phone: 8 kHz G.711 μ-law in 20 ms frames of 160 bytes, as Twilio Media
 * Streams deliver it. Speech here is synthetic and deterministic: a vowel-like voiced sound (harmonics of
 * a gliding pitch, shaped by three formants, with syllable-rate loudness changes), which the energy
 * detector takes for speech throughout. Real speech for the model-based detector comes from WAV files
 * (see {@link #fromPcm16k}).
 */
public final class CallerAudio {

    public static final int TELEPHONE_RATE = 8_000;
    public static final int FRAME_BYTES = TELEPHONE_RATE * AudioFormat.FRAME_MILLIS / 1000;
    /** μ-law code for a zero sample. */
    public static final byte SILENT_CODE = (byte) 0xFF;

    private static final double[] FORMANTS_HZ = {700, 1220, 2600};
    private static final double[] BANDWIDTHS_HZ = {130, 150, 250};
    private static final double HIGHEST_HARMONIC_HZ = 3_400;

    private CallerAudio() {
    }

    /** One silent phone frame. */
    public static byte[] silentFrame() {
        byte[] frame = new byte[FRAME_BYTES];
        Arrays.fill(frame, SILENT_CODE);
        return frame;
    }

    /** {@code frames} phone frames of continuous synthetic speech; {@code seed} varies pitch and rhythm. */
    public static byte[][] speechFrames(int frames, long seed) {
        return fromPcm16k(voiced(frames * AudioFormat.SAMPLES_PER_FRAME, seed));
    }

    /**
     * Converts 16 kHz PCM16 to phone frames: anti-aliased down to 8 kHz, μ-law coded. A last partial
     * frame is padded with silence.
     */
    public static byte[][] fromPcm16k(short[] pcm16k) {
        Resampler down = new Resampler(AudioFormat.SAMPLE_RATE, TELEPHONE_RATE);
        short[] narrow = new short[down.maxOutputLength(pcm16k.length)];
        int n = down.process(pcm16k, 0, pcm16k.length, narrow, 0);
        int frames = (n + FRAME_BYTES - 1) / FRAME_BYTES;
        byte[][] out = new byte[frames][];
        for (int f = 0; f < frames; f++) {
            out[f] = silentFrame();
            int length = Math.min(FRAME_BYTES, n - f * FRAME_BYTES);
            MuLaw.encode(narrow, f * FRAME_BYTES, out[f], 0, length);
        }
        return out;
    }

    /** Reads a 16 kHz mono WAV file of speech. */
    public static short[] readSpeech(Path file) throws IOException {
        WavAudio audio = WavReader.read(file);
        if (audio.sampleRate() != AudioFormat.SAMPLE_RATE || audio.channels() != 1) {
            throw new IOException(file + " is " + audio.sampleRate() + " Hz, " + audio.channels()
                    + " channels; caller speech must be 16 kHz mono");
        }
        return audio.samples();
    }

    /** Synthetic voiced sound at 16 kHz, about -18 dBFS, faded in and out over 10 ms. */
    static short[] voiced(int samples, long seed) {
        Random random = new Random(seed);
        double baseF0 = 100 + random.nextDouble() * 60;
        double vibratoHz = 0.5 + random.nextDouble();
        double syllableHz = 3.5 + random.nextDouble() * 1.5;
        double rate = AudioFormat.SAMPLE_RATE;
        int harmonics = (int) (HIGHEST_HARMONIC_HZ / (baseF0 * 0.8));
        double[] phases = new double[harmonics + 1];
        double[] out = new double[samples];
        double peak = 0;
        for (int i = 0; i < samples; i++) {
            double t = i / rate;
            double f0 = baseF0 * (1 + 0.12 * Math.sin(2 * Math.PI * vibratoHz * t));
            double sum = 0;
            for (int h = 1; h <= harmonics; h++) {
                double f = h * f0;
                phases[h] += 2 * Math.PI * f / rate;
                if (f < HIGHEST_HARMONIC_HZ) {
                    sum += formantGain(f) / h * Math.sin(phases[h]);
                }
            }
            double syllable = 0.6 + 0.4 * Math.pow(Math.sin(Math.PI * syllableHz * t), 2);
            out[i] = sum * syllable;
            peak = Math.max(peak, Math.abs(out[i]));
        }
        short[] pcm = new short[samples];
        int fade = AudioFormat.SAMPLE_RATE / 100;
        for (int i = 0; i < samples; i++) {
            double edge = Math.min(1, Math.min(i, samples - 1 - i) / (double) fade);
            pcm[i] = (short) Math.round(out[i] / peak * 9_000 * edge);
        }
        return pcm;
    }

    private static double formantGain(double f) {
        double gain = 0.05;
        for (int k = 0; k < FORMANTS_HZ.length; k++) {
            double x = (f - FORMANTS_HZ[k]) / BANDWIDTHS_HZ[k];
            gain += 1 / (1 + x * x) / (k + 1);
        }
        return gain;
    }
}
