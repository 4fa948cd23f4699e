package dev.palaver.media.call;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The caller's audio for the turn in progress (plus a little before it), kept only when a fallback
 * recogniser is configured, so a turn whose recogniser failed can be replayed into the fallback.
 * Holds references to the inbound frames (which are never modified), bounded in both modes.
 */
final class AudioReplay {

    private final boolean enabled;
    private final int prerollFrames;
    private final int maxFrames;
    private final ArrayDeque<short[]> frames = new ArrayDeque<>();
    private boolean inTurn;

    AudioReplay(boolean enabled, int prerollFrames, int maxFrames) {
        this.enabled = enabled;
        this.prerollFrames = prerollFrames;
        this.maxFrames = maxFrames;
    }

    void add(short[] frame) {
        if (!enabled) {
            return;
        }
        frames.add(frame);
        int limit = inTurn ? maxFrames : prerollFrames;
        while (frames.size() > limit) {
            frames.poll();
        }
    }

    void turnStarted() {
        inTurn = true;
    }

    void turnEnded() {
        inTurn = false;
        while (frames.size() > prerollFrames) {
            frames.poll();
        }
    }

    List<short[]> frames() {
        return List.copyOf(frames);
    }

    long retainedSamples() {
        long total = 0;
        for (short[] frame : frames) {
            total += frame.length;
        }
        return total;
    }

    void clear() {
        frames.clear();
        inTurn = false;
    }
}
