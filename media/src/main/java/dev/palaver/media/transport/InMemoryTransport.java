package dev.palaver.media.transport;

import dev.palaver.media.time.MonotonicClock;
import java.util.ArrayList;
import java.util.List;

/**
 * A transport held in memory, for tests and the call simulator. It records everything the call sends,
 * stamped with the injected clock, and lets the test play the caller: send audio and keys, play marks,
 * hang up. Like Twilio, {@link #clear()} reports every mark still pending as played.
 */
public final class InMemoryTransport implements Transport {

    /** Something the call sent, with the clock reading when it did. */
    public sealed interface Sent permits Audio, Mark, Clear, Dtmf, HangUp {
        long atNanos();
    }

    public record Audio(long atNanos, short[] samples) implements Sent {
    }

    public record Mark(long atNanos, String name) implements Sent {
    }

    public record Clear(long atNanos) implements Sent {
    }

    public record Dtmf(long atNanos, String digits) implements Sent {
    }

    public record HangUp(long atNanos) implements Sent {
    }

    private final MonotonicClock clock;
    private final boolean playMarksAtOnce;
    private final List<Sent> sent = new ArrayList<>();
    private final List<String> pendingMarks = new ArrayList<>();
    private Listener listener;

    /**
     * @param playMarksAtOnce report each mark played as soon as it is sent, as a transport does when the
     *                        call paces audio in real time; if false the test plays marks itself
     */
    public InMemoryTransport(MonotonicClock clock, boolean playMarksAtOnce) {
        this.clock = clock;
        this.playMarksAtOnce = playMarksAtOnce;
    }

    @Override
    public void start(Listener newListener) {
        synchronized (this) {
            if (listener != null) {
                throw new IllegalStateException("already started");
            }
            listener = newListener;
        }
    }

    @Override
    public void sendAudio(short[] frame) {
        record(new Audio(clock.nanoTime(), frame));
    }

    @Override
    public void sendMark(String name) {
        synchronized (this) {
            sent.add(new Mark(clock.nanoTime(), name));
            if (!playMarksAtOnce) {
                pendingMarks.add(name);
                return;
            }
        }
        listener().onMarkPlayed(name);
    }

    @Override
    public void clear() {
        List<String> played;
        synchronized (this) {
            sent.add(new Clear(clock.nanoTime()));
            played = List.copyOf(pendingMarks);
            pendingMarks.clear();
        }
        played.forEach(listener()::onMarkPlayed);
    }

    @Override
    public void sendDtmf(String digits) {
        record(new Dtmf(clock.nanoTime(), digits));
    }

    @Override
    public void hangUp() {
        record(new HangUp(clock.nanoTime()));
    }

    // ---- the caller's side ----

    /** The caller sends 20 ms of audio. */
    public void receiveAudio(short[] frame) {
        listener().onAudio(frame);
    }

    /** The caller presses a key. */
    public void receiveDtmf(char digit) {
        listener().onDtmf(digit);
    }

    /** Reports every pending mark as played, oldest first. */
    public void playPendingMarks() {
        List<String> played;
        synchronized (this) {
            played = List.copyOf(pendingMarks);
            pendingMarks.clear();
        }
        played.forEach(listener()::onMarkPlayed);
    }

    /** The caller hangs up. */
    public void closeByCaller() {
        listener().onClosed();
    }

    // ---- inspection ----

    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    public synchronized List<Audio> audioSent() {
        return sent.stream().filter(Audio.class::isInstance).map(Audio.class::cast).toList();
    }

    public synchronized int framesSent() {
        return (int) sent.stream().filter(Audio.class::isInstance).count();
    }

    public synchronized List<String> marksSent() {
        return sent.stream().filter(Mark.class::isInstance).map(s -> ((Mark) s).name()).toList();
    }

    public synchronized List<String> pendingMarks() {
        return List.copyOf(pendingMarks);
    }

    public synchronized int clears() {
        return (int) sent.stream().filter(Clear.class::isInstance).count();
    }

    public synchronized List<String> dtmfSent() {
        return sent.stream().filter(Dtmf.class::isInstance).map(s -> ((Dtmf) s).digits()).toList();
    }

    public synchronized boolean hungUp() {
        return sent.stream().anyMatch(HangUp.class::isInstance);
    }

    private synchronized void record(Sent item) {
        sent.add(item);
    }

    private synchronized Listener listener() {
        if (listener == null) {
            throw new IllegalStateException("not started");
        }
        return listener;
    }
}
