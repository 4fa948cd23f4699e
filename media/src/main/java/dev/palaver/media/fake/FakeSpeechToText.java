package dev.palaver.media.fake;

import dev.palaver.media.stt.SpeechToText;
import dev.palaver.media.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scripted recognition. Each stream answers its n-th {@code endOfSpeech()} with the n-th scripted
 * transcript (empty once the script runs out) after the final latency. Once a stream has heard
 * {@code partialAfter} of non-silent audio in an utterance it sends the transcript's first word as a
 * partial. Utterances can be scripted to stall (no answer, ever) or to fail. Counts open streams.
 */
public final class FakeSpeechToText implements SpeechToText {

    private final Scheduler scheduler;
    private final List<String> transcripts;
    private final Latency finalLatency;
    private final Duration partialAfter;
    private final Set<Integer> stallOn;
    private final Set<Integer> failOn;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicLong speechSamples = new AtomicLong();

    private FakeSpeechToText(Builder b) {
        scheduler = b.scheduler;
        transcripts = List.copyOf(b.transcripts);
        finalLatency = b.finalLatency;
        partialAfter = b.partialAfter;
        stallOn = Set.copyOf(b.stallOn);
        failOn = Set.copyOf(b.failOn);
    }

    public static Builder builder(Scheduler scheduler) {
        return new Builder(scheduler);
    }

    @Override
    public Stream open(Listener listener) {
        open.incrementAndGet();
        opened.incrementAndGet();
        return new FakeStream(listener);
    }

    /** Streams opened and not yet closed. */
    public int openStreams() {
        return open.get();
    }

    public int streamsOpened() {
        return opened.get();
    }

    /** Non-silent samples pushed into all streams so far. */
    public long speechSamplesReceived() {
        return speechSamples.get();
    }

    private String transcript(int utterance) {
        return utterance < transcripts.size() ? transcripts.get(utterance) : "";
    }

    private final class FakeStream implements Stream {
        private final Listener listener;
        private final Emissions emissions = new Emissions(scheduler);
        private int utterance;
        private long speechSamples;
        private boolean partialSent;

        FakeStream(Listener listener) {
            this.listener = listener;
        }

        @Override
        public synchronized void push(short[] frame) {
            if (emissions.isClosed() || !hasSound(frame)) {
                return;
            }
            speechSamples += frame.length;
            FakeSpeechToText.this.speechSamples.addAndGet(frame.length);
            int current = utterance;
            String words = transcript(current);
            if (partialAfter != null && !partialSent && !words.isBlank()
                    && !stallOn.contains(current) && !failOn.contains(current)
                    && speechSamples * 1000 / 16_000 >= partialAfter.toMillis()) {
                partialSent = true;
                String firstWord = words.strip().split("\\s+")[0];
                emissions.after(Duration.ZERO, () -> listener.onPartial(firstWord));
            }
        }

        @Override
        public synchronized void endOfSpeech() {
            int current = utterance++;
            speechSamples = 0;
            partialSent = false;
            if (stallOn.contains(current)) {
                return;
            }
            if (failOn.contains(current)) {
                emissions.after(finalLatency.next(), () -> listener.onError("scripted failure"));
                return;
            }
            String words = transcript(current);
            emissions.after(finalLatency.next(), () -> listener.onFinal(words, true));
        }

        @Override
        public void close() {
            if (emissions.close()) {
                open.decrementAndGet();
            }
        }

        private static boolean hasSound(short[] frame) {
            for (short s : frame) {
                if (s != 0) {
                    return true;
                }
            }
            return false;
        }
    }

    public static final class Builder {
        private final Scheduler scheduler;
        private final List<String> transcripts = new ArrayList<>();
        private Latency finalLatency = Latency.millis(150);
        private Duration partialAfter = Duration.ofMillis(200);
        private final Set<Integer> stallOn = new HashSet<>();
        private final Set<Integer> failOn = new HashSet<>();

        private Builder(Scheduler scheduler) {
            this.scheduler = scheduler;
        }

        /** Transcripts of the first, second, ... utterance ("" for one with no words). */
        public Builder transcripts(String... texts) {
            transcripts.addAll(List.of(texts));
            return this;
        }

        /** Delay between {@code endOfSpeech()} and the final transcript (default 150 ms). */
        public Builder finalLatency(Latency latency) {
            finalLatency = latency;
            return this;
        }

        /** Non-silent audio heard before the partial is sent (default 200 ms); null for no partials. */
        public Builder partialAfter(Duration speech) {
            partialAfter = speech;
            return this;
        }

        /** The given utterances (0-based) never get a transcript. */
        public Builder stallOnUtterance(int... utterances) {
            for (int u : utterances) {
                stallOn.add(u);
            }
            return this;
        }

        /** The given utterances (0-based) get an error instead of a transcript. */
        public Builder failOnUtterance(int... utterances) {
            for (int u : utterances) {
                failOn.add(u);
            }
            return this;
        }

        public FakeSpeechToText build() {
            return new FakeSpeechToText(this);
        }
    }
}
