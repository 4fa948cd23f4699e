package dev.palaver.server.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.transport.Transport;

/**
 * A caller in memory, in real time: one 20 ms frame every 20 ms. It waits for the agent's greeting to end
 * (or for silence), says its question, then waits for the answer to end; the agent audio after the
 * question is the reply.
 */
final class SimulatedCaller implements Transport {

    private static final long FRAME_NANOS = AudioFormat.FRAME_MILLIS * 1_000_000L;
    /** Agent silence that ends a turn: longer than the pauses between its sentences. */
    private static final int QUIET_FRAMES = 75;
    private static final int NO_GREETING_FRAMES = 150;

    private enum Phase { GREETING, ASKING, ANSWER, DONE }

    private final short[] question;
    private final List<short[]> reply = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Listener listener;
    private volatile boolean agentVoiced;
    private volatile long lastAgentVoiceFrame;
    private volatile long frameCount;
    private volatile boolean answerStarted;

    SimulatedCaller(short[] question) {
        this.question = question;
    }

    @Override
    public void start(Listener newListener) {
        listener = newListener;
        Thread.ofVirtual().name("simulated-caller").start(this::run);
    }

    private void run() {
        Phase phase = Phase.GREETING;
        int questionAt = 0;
        long next = System.nanoTime();
        while (!closed.get()) {
            short[] frame = new short[AudioFormat.SAMPLES_PER_FRAME];
            long quiet = frameCount - lastAgentVoiceFrame;
            switch (phase) {
                case GREETING -> {
                    if ((agentVoiced && quiet > QUIET_FRAMES / 2) || (!agentVoiced && frameCount > NO_GREETING_FRAMES)) {
                        phase = Phase.ASKING;
                    }
                }
                case ASKING -> {
                    int n = Math.min(frame.length, question.length - questionAt);
                    System.arraycopy(question, questionAt, frame, 0, n);
                    questionAt += n;
                    if (questionAt >= question.length) {
                        phase = Phase.ANSWER;
                        answerStarted = true;
                        agentVoiced = false;
                    }
                }
                case ANSWER -> {
                    if (agentVoiced && quiet > QUIET_FRAMES) {
                        phase = Phase.DONE;
                        done.countDown();
                    }
                }
                case DONE -> {
                }
            }
            listener.onAudio(frame);
            frameCount++;
            next += FRAME_NANOS;
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }

    boolean awaitDone(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized short[] reply() {
        int total = reply.stream().mapToInt(f -> f.length).sum();
        short[] all = new short[total];
        int at = 0;
        for (short[] f : reply) {
            System.arraycopy(f, 0, all, at, f.length);
            at += f.length;
        }
        return all;
    }

    @Override
    public void sendAudio(short[] frame) {
        boolean voiced = false;
        for (short s : frame) {
            if (Math.abs(s) > 300) {
                voiced = true;
                break;
            }
        }
        if (voiced) {
            agentVoiced = true;
            lastAgentVoiceFrame = frameCount;
        }
        if (answerStarted) {
            synchronized (this) {
                reply.add(frame);
            }
        }
    }

    @Override
    public void sendMark(String name) {
        listener.onMarkPlayed(name);
    }

    @Override
    public void clear() {
    }

    @Override
    public void sendDtmf(String digits) {
    }

    @Override
    public void hangUp() {
        if (closed.compareAndSet(false, true)) {
            done.countDown();
            listener.onClosed();
        }
    }
}
