package dev.palaver.media.fake;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.time.Scheduler;
import dev.palaver.media.tts.TextToSpeech;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Deterministic synthesis: {@code millisPerCharacter} of non-silent audio per character of text, sent
 * in pieces of {@code pieceMillis}, the first after the time to first byte and the rest every
 * {@code pieceInterval}. Texts matching {@code stallWhen} never get audio; texts matching
 * {@code failWhen} get an error. Records requests and counts open syntheses.
 */
public final class FakeTextToSpeech implements TextToSpeech {

    private final Scheduler scheduler;
    private final Latency timeToFirstByte;
    private final int millisPerCharacter;
    private final int pieceMillis;
    private final Duration pieceInterval;
    private final Predicate<String> stallWhen;
    private final Predicate<String> failWhen;
    private final List<String> requests = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();

    private FakeTextToSpeech(Builder b) {
        scheduler = b.scheduler;
        timeToFirstByte = b.timeToFirstByte;
        millisPerCharacter = b.millisPerCharacter;
        pieceMillis = b.pieceMillis;
        pieceInterval = b.pieceInterval;
        stallWhen = b.stallWhen;
        failWhen = b.failWhen;
    }

    public static Builder builder(Scheduler scheduler) {
        return new Builder(scheduler);
    }

    /** Samples of audio this fake produces for {@code text}. */
    public int samplesFor(String text) {
        return AudioFormat.samplesFor(AudioFormat.SAMPLE_RATE, text.length() * millisPerCharacter);
    }

    @Override
    public Synthesis synthesize(String text, Listener listener) {
        synchronized (this) {
            requests.add(text);
        }
        open.incrementAndGet();
        FakeSynthesis synthesis = new FakeSynthesis(listener);
        Duration first = timeToFirstByte.next();
        if (failWhen.test(text)) {
            synthesis.emissions.after(first, () -> {
                if (synthesis.finish()) {
                    listener.onError("scripted failure");
                }
            });
        } else if (!stallWhen.test(text)) {
            synthesis.play(text, first);
        }
        return synthesis;
    }

    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    /** Syntheses started and neither finished nor closed. */
    public int openSyntheses() {
        return open.get();
    }

    private final class FakeSynthesis implements Synthesis {
        private final Listener listener;
        private final Emissions emissions = new Emissions(scheduler);

        FakeSynthesis(Listener listener) {
            this.listener = listener;
        }

        void play(String text, Duration first) {
            int total = samplesFor(text);
            int piece = AudioFormat.samplesFor(AudioFormat.SAMPLE_RATE, pieceMillis);
            int seed = text.hashCode();
            Duration at = first;
            for (int start = 0; start < total; start += piece) {
                short[] pcm = new short[Math.min(piece, total - start)];
                for (int i = 0; i < pcm.length; i++) {
                    // Any deterministic, never-silent waveform will do.
                    pcm[i] = (short) (500 + Math.floorMod(seed + 37 * (start + i), 1000));
                }
                emissions.after(at, () -> listener.onAudio(pcm));
                at = at.plus(pieceInterval);
            }
            Duration end = total == 0 ? first : at.minus(pieceInterval);
            emissions.after(end, () -> {
                if (finish()) {
                    listener.onDone();
                }
            });
        }

        boolean finish() {
            if (emissions.close()) {
                open.decrementAndGet();
                return true;
            }
            return false;
        }

        @Override
        public void close() {
            finish();
        }
    }

    public static final class Builder {
        private final Scheduler scheduler;
        private Latency timeToFirstByte = Latency.millis(100);
        private int millisPerCharacter = 50;
        private int pieceMillis = 200;
        private Duration pieceInterval = Duration.ZERO;
        private Predicate<String> stallWhen = text -> false;
        private Predicate<String> failWhen = text -> false;

        private Builder(Scheduler scheduler) {
            this.scheduler = scheduler;
        }

        /** Default 100 ms. */
        public Builder timeToFirstByte(Latency latency) {
            timeToFirstByte = latency;
            return this;
        }

        /** Audio length per character of text (default 50 ms). */
        public Builder millisPerCharacter(int millis) {
            millisPerCharacter = millis;
            return this;
        }

        /** Audio per piece sent (default 200 ms). */
        public Builder pieceMillis(int millis) {
            pieceMillis = millis;
            return this;
        }

        /** Delay between pieces after the first (default none: faster than real time). */
        public Builder pieceInterval(Duration interval) {
            pieceInterval = interval;
            return this;
        }

        public Builder stallWhen(Predicate<String> text) {
            stallWhen = text;
            return this;
        }

        public Builder failWhen(Predicate<String> text) {
            failWhen = text;
            return this;
        }

        public FakeTextToSpeech build() {
            return new FakeTextToSpeech(this);
        }
    }
}
