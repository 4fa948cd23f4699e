package dev.palaver.media.call;

import java.util.ArrayDeque;

/**
 * One piece of a reply's text on its way to the caller: synthesized, queued as audio, paced out in
 * frames, closed with a mark. Knows where its audio sits in the reply's output so the call can tell how
 * much of it the caller has heard.
 */
final class SpokenChunk {

    final int index;
    final String text;
    final String mark;
    final boolean filler;

    /** Output position (samples since the reply's first frame) of this chunk's first sample; -1 until sent. */
    long start = -1;
    /** Samples received from synthesis. */
    int received;
    boolean synthesized;
    boolean markSent;
    boolean markPlayed;

    /** Audio received and not yet sent, oldest first; the head array is consumed from {@code headOffset}. */
    final ArrayDeque<short[]> queue = new ArrayDeque<>();
    int headOffset;
    int queued;

    SpokenChunk(int index, String text, String mark, boolean filler) {
        this.index = index;
        this.text = text;
        this.mark = mark;
        this.filler = filler;
    }
}
