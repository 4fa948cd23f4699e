package dev.palaver.media.audio;

/**
 * Audio read from a WAV file, decoded to PCM16.
 *
 * @param samples interleaved samples, {@code channels} per frame
 * @param sourceEncoding how the file stored them
 */
public record WavAudio(int sampleRate, int channels, short[] samples, Encoding sourceEncoding) {

    public enum Encoding { PCM16, MULAW, ALAW }

    public WavAudio {
        if (sampleRate <= 0 || channels <= 0 || samples.length % channels != 0) {
            throw new IllegalArgumentException(
                    "bad WAV audio: " + sampleRate + " Hz, " + channels + " channels, " + samples.length + " samples");
        }
    }

    /** PCM16 audio as it would be written by {@link WavWriter}. */
    public static WavAudio pcm16(int sampleRate, int channels, short[] samples) {
        return new WavAudio(sampleRate, channels, samples, Encoding.PCM16);
    }

    public int frames() {
        return samples.length / channels;
    }

    public double durationSeconds() {
        return (double) frames() / sampleRate;
    }

    /** A copy of one channel's samples (0 is left). */
    public short[] channel(int channel) {
        if (channel < 0 || channel >= channels) {
            throw new IndexOutOfBoundsException("channel " + channel + " of " + channels);
        }
        short[] out = new short[frames()];
        for (int i = 0; i < out.length; i++) {
            out[i] = samples[i * channels + channel];
        }
        return out;
    }
}
