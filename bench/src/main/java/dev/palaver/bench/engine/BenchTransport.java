package dev.palaver.bench.engine;

import dev.palaver.media.transport.Transport;

/**
 * The caller's end of a benchmarked call. Unlike the engine's in-memory transport it keeps nothing it is
 * sent (a long run would otherwise hold every outbound frame): it counts, and it can note when the first
 * frame of the next reply is handed over. The call paces its output in real time, so a mark counts as
 * played when it is sent, as on a transport whose far end plays audio as it arrives.
 */
public final class BenchTransport implements Transport {

    private volatile Listener listener;
    private volatile long framesSent;
    private volatile long clears;
    private volatile boolean hungUp;
    private volatile boolean awaitingFirstAudio;
    private volatile long firstAudioNanos;

    @Override
    public void start(Listener newListener) {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        listener = newListener;
    }

    @Override
    public void sendAudio(short[] frame) {
        if (awaitingFirstAudio) {
            firstAudioNanos = System.nanoTime();
            awaitingFirstAudio = false;
        }
        // One writer (the call's loop): a plain increment of the volatile is safe.
        framesSent = framesSent + 1;
    }

    @Override
    public void sendMark(String name) {
        listener.onMarkPlayed(name);
    }

    @Override
    public void clear() {
        clears = clears + 1;
    }

    @Override
    public void sendDtmf(String digits) {
        // The benchmarked caller presses no keys and ignores the agent's.
    }

    @Override
    public void hangUp() {
        hungUp = true;
    }

    /** The caller sends 20 ms of 16 kHz audio; ownership of the array passes to the call. */
    public void receive(short[] frame) {
        listener.onAudio(frame);
    }

    public void closeByCaller() {
        listener.onClosed();
    }

    /** From now on, note the time of the next frame the call sends. */
    public void awaitFirstAudio() {
        firstAudioNanos = 0;
        awaitingFirstAudio = true;
    }

    /** {@link System#nanoTime()} when the awaited frame was handed over, or 0 if none yet. */
    public long firstAudioNanos() {
        return firstAudioNanos;
    }

    public long framesSent() {
        return framesSent;
    }

    public long clears() {
        return clears;
    }

    public boolean hungUp() {
        return hungUp;
    }
}
