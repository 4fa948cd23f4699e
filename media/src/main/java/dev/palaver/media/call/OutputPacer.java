package dev.palaver.media.call;

import dev.palaver.media.audio.AudioFormat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A reply's outbound audio, chunk by chunk in speaking order, cut into 20 ms frames. Each chunk ends on
 * a frame boundary (its last frame is padded with silence) so the mark sent after that frame means the
 * whole chunk has played. The call decides when a frame is due; this class only cuts and counts.
 */
final class OutputPacer {

    static final int FRAME = AudioFormat.SAMPLES_PER_FRAME;

    private final ArrayDeque<SpokenChunk> queue = new ArrayDeque<>();
    private long position;

    /** Starts a new reply's output. */
    void reset() {
        clear();
        position = 0;
    }

    void add(SpokenChunk chunk) {
        queue.add(chunk);
    }

    void append(SpokenChunk chunk, short[] pcm) {
        chunk.queue.add(pcm);
        chunk.queued += pcm.length;
        chunk.received += pcm.length;
    }

    /** Removes chunks that will never be sent (synthesis abandoned before any of their audio left). */
    void remove(SpokenChunk chunk) {
        queue.remove(chunk);
        chunk.queue.clear();
        chunk.queued = 0;
    }

    /** Takes the chunks at the head that are synthesized and fully sent: their marks are due. */
    List<SpokenChunk> takeFinished() {
        List<SpokenChunk> finished = new ArrayList<>(1);
        while (!queue.isEmpty() && queue.peek().synthesized && queue.peek().queued == 0) {
            SpokenChunk chunk = queue.poll();
            if (chunk.start < 0) {
                chunk.start = position;
            }
            finished.add(chunk);
        }
        return finished;
    }

    boolean hasFrame() {
        SpokenChunk head = queue.peek();
        return head != null && (head.queued >= FRAME || (head.synthesized && head.queued > 0));
    }

    /** The next frame; call only when {@link #hasFrame()}. */
    short[] nextFrame() {
        SpokenChunk head = queue.peek();
        if (head.start < 0) {
            head.start = position;
        }
        short[] frame = new short[FRAME];
        int filled = 0;
        while (filled < FRAME && head.queued > 0) {
            short[] piece = head.queue.peek();
            int n = Math.min(FRAME - filled, piece.length - head.headOffset);
            System.arraycopy(piece, head.headOffset, frame, filled, n);
            filled += n;
            head.headOffset += n;
            head.queued -= n;
            if (head.headOffset == piece.length) {
                head.queue.poll();
                head.headOffset = 0;
            }
        }
        position += FRAME;
        return frame;
    }

    /** Samples sent since the reply began (silence padding included). */
    long position() {
        return position;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long bufferedSamples() {
        long total = 0;
        for (SpokenChunk chunk : queue) {
            total += chunk.queued;
        }
        return total;
    }

    void clear() {
        for (SpokenChunk chunk : queue) {
            chunk.queue.clear();
            chunk.queued = 0;
        }
        queue.clear();
    }
}
