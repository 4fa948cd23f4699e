package dev.palaver.server.calls;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.transport.Transport;

/**
 * A simulated caller on a transport held in memory: sends one 20 ms frame every 20 ms in real time
 * (silence unless {@link #say} queued speech), keeps what the agent sent with the caller's clock reading,
 * and reports marks played as they come (the engine paces its audio in real time).
 */
public final class PacedCaller implements Transport {

    private static final long FRAME_NANOS = AudioFormat.FRAME_MILLIS * 1_000_000L;

    /** One agent frame and when it arrived, in ms since the caller connected. */
    public record Heard(long atMillis, short[] samples) {
    }

    private final BlockingQueue<short[]> speech = new LinkedBlockingQueue<>();
    private final List<Heard> heard = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean hungUpByAgent;
    private volatile int clears;
    private volatile Listener listener;
    private volatile long startNanos;

    @Override
    public void start(Listener newListener) {
        listener = newListener;
        startNanos = System.nanoTime();
        Thread.ofVirtual().name("paced-caller").start(this::run);
    }

    private void run() {
        long next = System.nanoTime();
        while (!closed.get()) {
            short[] frame = speech.poll();
            listener.onAudio(frame != null ? frame : new short[AudioFormat.SAMPLES_PER_FRAME]);
            next += FRAME_NANOS;
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }

    /** Queues speech (16 kHz) to be sent after what is already queued. */
    public void say(short[] samples) {
        for (int i = 0; i < samples.length; i += AudioFormat.SAMPLES_PER_FRAME) {
            short[] frame = new short[AudioFormat.SAMPLES_PER_FRAME];
            System.arraycopy(samples, i, frame, 0, Math.min(frame.length, samples.length - i));
            speech.add(frame);
        }
    }

    public boolean speaking() {
        return !speech.isEmpty();
    }

    /** The caller hangs up. */
    public void hangUpCaller() {
        if (closed.compareAndSet(false, true)) {
            listener.onClosed();
        }
    }

    public synchronized List<Heard> heard() {
        return List.copyOf(heard);
    }

    /** Agent frames with any sound in them. */
    public synchronized int voicedFrames() {
        int n = 0;
        for (Heard h : heard) {
            for (short s : h.samples()) {
                if (Math.abs(s) > 300) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    public long millisSinceStart() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public int clears() {
        return clears;
    }

    public boolean hungUpByAgent() {
        return hungUpByAgent;
    }

    @Override
    public synchronized void sendAudio(short[] frame) {
        heard.add(new Heard(millisSinceStart(), frame));
    }

    @Override
    public void sendMark(String name) {
        listener.onMarkPlayed(name);
    }

    @Override
    public void clear() {
        clears++;
    }

    @Override
    public void sendDtmf(String digits) {
    }

    @Override
    public void hangUp() {
        hungUpByAgent = true;
        if (closed.compareAndSet(false, true)) {
            listener.onClosed();
        }
    }
}
