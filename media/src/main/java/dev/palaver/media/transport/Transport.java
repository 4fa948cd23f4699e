package dev.palaver.media.transport;

/**
 * The caller's end of a call: a phone media stream, a browser socket, or {@link InMemoryTransport}.
 * Audio is 16 kHz PCM16 mono in 20 ms frames; transports convert at the edge. Methods are called by the
 * call's loop only and must not block (queue to the socket writer). Listener calls may come from any
 * thread and must only hand the input on.
 */
public interface Transport {

    /** Starts delivering input to {@code listener}. Called once, by the call that owns this transport. */
    void start(Listener listener);

    /** Plays one frame. Ownership of the array passes to the transport. */
    void sendAudio(short[] frame);

    /** Asks to be told, with {@link Listener#onMarkPlayed}, when everything sent so far has played. */
    void sendMark(String name);

    /** Discards audio sent but not yet played. */
    void clear();

    /** Plays DTMF tones (digits 0-9, *, #, A-D). */
    void sendDtmf(String digits);

    /** Ends the call from our side. Idempotent. */
    void hangUp();

    interface Listener {
        /** 20 ms of caller audio. Ownership of the array passes to the listener. */
        void onAudio(short[] frame);

        /** The audio before mark {@code name} has played (or was cleared, on transports that say so). */
        void onMarkPlayed(String name);

        /** The caller pressed a key. */
        void onDtmf(char digit);

        /** The caller hung up or the connection dropped. Nothing follows. */
        void onClosed();
    }
}
