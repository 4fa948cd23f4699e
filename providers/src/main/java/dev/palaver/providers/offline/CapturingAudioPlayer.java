package dev.palaver.providers.offline;

import com.sun.speech.freetts.audio.AudioPlayer;
import java.io.ByteArrayOutputStream;
import javax.sound.sampled.AudioFormat;

/**
 * A FreeTTS audio player that keeps the samples instead of playing them. FreeTTS writes from its output
 * thread while the speaking thread waits, hence the synchronization.
 */
final class CapturingAudioPlayer implements AudioPlayer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private AudioFormat format = new AudioFormat(16_000f, 16, 1, true, true);
    private float volume = 1f;

    @Override
    public synchronized void setAudioFormat(AudioFormat format) {
        this.format = format;
    }

    @Override
    public synchronized AudioFormat getAudioFormat() {
        return format;
    }

    /** The sample rate of what {@link #take} returns. */
    synchronized int sampleRate() {
        return Math.round(format.getSampleRate());
    }

    /** Everything written since the last call, as PCM16 mono samples; empties the buffer. */
    synchronized short[] take() {
        if (format.getSampleSizeInBits() != 16 || format.getChannels() != 1
                || format.getEncoding() != AudioFormat.Encoding.PCM_SIGNED) {
            throw new IllegalStateException("FreeTTS produced " + format + "; expected 16-bit signed mono PCM");
        }
        byte[] data = bytes.toByteArray();
        bytes.reset();
        short[] samples = new short[data.length / 2];
        boolean bigEndian = format.isBigEndian();
        for (int i = 0; i < samples.length; i++) {
            int first = data[2 * i] & 0xff;
            int second = data[2 * i + 1] & 0xff;
            samples[i] = (short) (bigEndian ? first << 8 | second : second << 8 | first);
        }
        return samples;
    }

    @Override
    public synchronized boolean write(byte[] audio) {
        return write(audio, 0, audio.length);
    }

    @Override
    public synchronized boolean write(byte[] audio, int offset, int length) {
        bytes.write(audio, offset, length);
        return true;
    }

    @Override
    public synchronized void reset() {
        bytes.reset();
    }

    @Override
    public void begin(int size) {
    }

    @Override
    public boolean end() {
        return true;
    }

    @Override
    public boolean drain() {
        return true;
    }

    @Override
    public void pause() {
    }

    @Override
    public void resume() {
    }

    @Override
    public void cancel() {
    }

    @Override
    public void close() {
    }

    @Override
    public synchronized float getVolume() {
        return volume;
    }

    @Override
    public synchronized void setVolume(float volume) {
        this.volume = volume;
    }

    @Override
    public long getTime() {
        return 0;
    }

    @Override
    public void resetTime() {
    }

    @Override
    public void startFirstSampleTimer() {
    }

    @Override
    public void showMetrics() {
    }
}
