package dev.palaver.providers.offline;

import java.util.Objects;

/**
 * One utterance being recognized: feed audio as it arrives, read the partial hypothesis at any time, then
 * {@link #finish} for the final transcript. Holds one of the recognizer's decoders until finished or closed.
 * Not thread-safe: one thread at a time (successive threads are fine).
 */
public final class PocketsphinxUtterance implements AutoCloseable {
    private final PocketsphinxRecognizer recognizer;
    private final PocketsphinxChannel channel;
    private final long maxSamples;
    private PocketsphinxDecoder decoder;
    private long samples;

    PocketsphinxUtterance(PocketsphinxRecognizer recognizer, PocketsphinxDecoder decoder, PocketsphinxChannel channel,
                          long maxSamples) {
        this.recognizer = recognizer;
        this.channel = channel;
        this.decoder = decoder;
        this.maxSamples = maxSamples;
    }

    /** Adds PCM16 mono 16 kHz audio. */
    public void feed(short[] audio) {
        feed(audio, 0, audio.length);
    }

    /**
     * Adds {@code audio[offset .. offset + length)}.
     *
     * @throws IllegalStateException if the utterance would exceed the recognizer's longest utterance
     *                               (nothing is added), or it is finished
     */
    public void feed(short[] audio, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, audio.length);
        PocketsphinxDecoder active = active();
        if (samples + length > maxSamples) {
            throw new IllegalStateException("utterance would exceed " + maxSamples + " samples");
        }
        try {
            active.process(audio, offset, length);
        } catch (RuntimeException e) {
            abandon(false);
            throw e;
        }
        samples += length;
    }

    /** Samples fed so far. */
    public long samples() {
        return samples;
    }

    /** The best guess at the words so far; it may still change. */
    public String partialHypothesis() {
        return active().hypothesis();
    }

    /**
     * Ends the utterance and returns its transcript (empty if no words were heard); frees the decoder. An
     * utterance of a channel passes what it learnt about the audio on to the channel's next one.
     */
    public String finish() {
        PocketsphinxDecoder active = active();
        try {
            active.end();
            String text = active.hypothesis();
            if (channel != null) {
                channel.adapt(active.mean());
            }
            abandon(true);
            return text;
        } catch (RuntimeException e) {
            abandon(false);
            throw e;
        }
    }

    /** Discards the utterance if it was not finished, leaving its channel as it was; does nothing otherwise. */
    @Override
    public void close() {
        if (decoder == null) {
            return;
        }
        boolean reusable;
        try {
            decoder.end();
            reusable = true;
        } catch (RuntimeException e) {
            reusable = false;
        }
        abandon(reusable);
    }

    private PocketsphinxDecoder active() {
        if (decoder == null) {
            throw new IllegalStateException("utterance is finished");
        }
        return decoder;
    }

    private void abandon(boolean reusable) {
        PocketsphinxDecoder released = decoder;
        decoder = null;
        recognizer.release(released, reusable);
    }
}
