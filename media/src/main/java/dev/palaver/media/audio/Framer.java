package dev.palaver.media.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * Cuts audio arriving in chunks of any length into frames of exactly {@code frameSamples} samples
 * (by default 20 ms at 16 kHz), handing each to a sink as soon as it is complete. Holds at most one
 * partial frame between calls; used by one thread; allocates nothing after construction.
 */
public final class Framer {

    /** Receives each complete frame. The array is reused for the next frame: copy it to keep it. */
    @FunctionalInterface
    public interface FrameSink {
        void accept(short[] frame);
    }

    private final short[] frame;
    private final FrameSink sink;
    private int filled;

    public Framer(int frameSamples, FrameSink sink) {
        if (frameSamples <= 0) {
            throw new IllegalArgumentException("frame size " + frameSamples);
        }
        this.frame = new short[frameSamples];
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Frames of {@link AudioFormat#SAMPLES_PER_FRAME} samples: 20 ms of the engine's internal audio. */
    public static Framer twentyMillis(FrameSink sink) {
        return new Framer(AudioFormat.SAMPLES_PER_FRAME, sink);
    }

    public int frameSamples() {
        return frame.length;
    }

    /** Samples held back until the next frame completes. */
    public int pending() {
        return filled;
    }

    /**
     * Adds {@code samples[offset .. offset + length)}.
     *
     * @return the number of frames handed to the sink
     */
    public int push(short[] samples, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, samples.length);
        int frames = 0;
        int end = offset + length;
        int at = offset;
        while (at < end) {
            int take = Math.min(frame.length - filled, end - at);
            System.arraycopy(samples, at, frame, filled, take);
            filled += take;
            at += take;
            if (filled == frame.length) {
                filled = 0;
                frames++;
                sink.accept(frame);
            }
        }
        return frames;
    }

    /**
     * Completes a partial frame with silence and hands it on, as at the end of a stream.
     *
     * @return whether there was a partial frame
     */
    public boolean flushPadded() {
        if (filled == 0) {
            return false;
        }
        Arrays.fill(frame, filled, frame.length, (short) 0);
        filled = 0;
        sink.accept(frame);
        return true;
    }

    /** Drops a partial frame. */
    public void reset() {
        filled = 0;
    }
}
