package dev.palaver.media.call;

import java.util.Arrays;

/**
 * Synthesized audio posted to a call's mailbox and not yet taken by its loop. Further audio of the same
 * synthesis joins it while it waits, so a synthesizer that delivers a whole sentence at once (flite hands
 * over hundreds of 20 ms pieces in one burst) costs the mailbox one slot, not hundreds. Once the loop has
 * taken it, it accepts nothing more and the next piece travels in a new event, after this one.
 */
final class PendingAudio {

    private short[] pcm;
    private int length;
    private boolean taken;

    PendingAudio(short[] first) {
        pcm = first;
        length = first.length;
    }

    /** Adds {@code more} after what is pending; false once the loop has taken the audio. */
    synchronized boolean append(short[] more) {
        if (taken) {
            return false;
        }
        if (length + more.length > pcm.length) {
            pcm = Arrays.copyOf(pcm, Math.max(length + more.length, pcm.length * 2));
        }
        System.arraycopy(more, 0, pcm, length, more.length);
        length += more.length;
        return true;
    }

    /** Everything pending, once; the call's loop calls it when it handles the event. */
    synchronized short[] take() {
        taken = true;
        return length == pcm.length ? pcm : Arrays.copyOf(pcm, length);
    }
}
