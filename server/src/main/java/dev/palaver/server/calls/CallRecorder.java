package dev.palaver.server.calls;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

import dev.palaver.media.audio.AudioFormat;

/**
 * Places one call's audio on a shared timeline (caller left, agent right) and hands finished stretches to
 * a {@link RecordingStorage.Upload}. Both sides arrive in real time (caller frames as the network delivers
 * them, agent frames as the engine paces them), so a frame goes at the later of where its channel left off
 * and "now" less {@link #JITTER}: a channel that fell silent resumes at the right time, and a burst of late
 * frames stays contiguous. Audio older than {@link #SETTLE} is final and is appended on {@link #drain}; the
 * rest stays in memory for late frames. Frames come from the call's loop and the transport's reader;
 * draining runs on the recordings' writer thread. A failed append keeps the audio for the next try.
 */
final class CallRecorder {

    static final long JITTER = samples(Duration.ofMillis(200));
    static final long SETTLE = samples(Duration.ofMillis(400));

    private final LongSupplier nanoTime;
    private final long startNanos;
    private final long maxBufferedSamples;
    private final Channel caller = new Channel();
    private final Channel agent = new Channel();
    /** Samples before this point have been handed to the upload. */
    private long committed;
    private boolean overflowed;
    private long endSample = -1;

    CallRecorder(LongSupplier nanoTime, Duration maxBuffered) {
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.maxBufferedSamples = samples(maxBuffered);
    }

    void callerAudio(short[] frame) {
        place(caller, frame);
    }

    void agentAudio(short[] frame) {
        place(agent, frame);
    }

    /** The call is over: the recording lasts until now. */
    synchronized void end() {
        if (endSample < 0) {
            endSample = Math.max(nowSample(), Math.max(caller.end(committed), agent.end(committed)));
        }
    }

    synchronized boolean isEnded() {
        return endSample >= 0;
    }

    /** True if audio had to be dropped because the store fell too far behind. */
    synchronized boolean overflowed() {
        return overflowed;
    }

    /** Appends every settled stretch (all of it once ended). Throws when the store fails; call again to retry. */
    void drain(RecordingStorage.Upload upload) throws IOException {
        short[] left;
        short[] right;
        int count;
        synchronized (this) {
            long until = endSample >= 0 ? endSample : nowSample() - SETTLE;
            count = (int) Math.max(0, until - committed);
            if (count == 0) {
                return;
            }
            left = caller.peek(count);
            right = agent.peek(count);
        }
        upload.append(left, right, count);
        synchronized (this) {
            caller.consume(count);
            agent.consume(count);
            committed += count;
        }
    }

    private synchronized void place(Channel channel, short[] frame) {
        if (endSample >= 0) {
            return;
        }
        long at = Math.max(channel.end(committed), Math.max(committed, nowSample() - JITTER));
        long offset = at - committed;
        if (offset + frame.length > maxBufferedSamples) {
            overflowed = true;
            return;
        }
        channel.put((int) offset, frame);
    }

    private long nowSample() {
        return (nanoTime.getAsLong() - startNanos) * AudioFormat.SAMPLE_RATE / 1_000_000_000L;
    }

    static long samples(Duration d) {
        return d.toMillis() * AudioFormat.SAMPLE_RATE / 1000;
    }

    /** One side's samples from {@code committed} on; gaps are silence. */
    private static final class Channel {
        private short[] buffer = new short[AudioFormat.SAMPLE_RATE];
        private int length;

        long end(long committed) {
            return committed + length;
        }

        void put(int offset, short[] frame) {
            int needed = offset + frame.length;
            if (needed > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
            }
            System.arraycopy(frame, 0, buffer, offset, frame.length);
            length = Math.max(length, needed);
        }

        short[] peek(int count) {
            short[] out = new short[count];
            System.arraycopy(buffer, 0, out, 0, Math.min(count, length));
            return out;
        }

        void consume(int count) {
            int kept = Math.max(0, length - count);
            System.arraycopy(buffer, Math.min(count, length), buffer, 0, kept);
            Arrays.fill(buffer, kept, Math.max(kept, length), (short) 0);
            length = kept;
        }
    }
}
