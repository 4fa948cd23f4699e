package dev.palaver.media.fake;

import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.time.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Scripted completions on the injected scheduler. Each request takes the next scripted {@link FakeReply}
 * (then the {@code otherwise} function, if set, else a failure). The first token comes after the time to
 * first token, each further token (a word, or a tool call) after the per-token delay; done comes with the
 * last token. Records requests and counts open streams.
 */
public final class FakeLanguageModel implements LanguageModel {

    private final Scheduler scheduler;
    private final Latency timeToFirstToken;
    private final Duration perToken;
    private final Deque<FakeReply> script;
    private final Function<LlmRequest, FakeReply> otherwise;
    private final List<LlmRequest> requests = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();

    private FakeLanguageModel(Builder b) {
        scheduler = b.scheduler;
        timeToFirstToken = b.timeToFirstToken;
        perToken = b.perToken;
        script = new ArrayDeque<>(b.replies);
        otherwise = b.otherwise;
    }

    public static Builder builder(Scheduler scheduler) {
        return new Builder(scheduler);
    }

    @Override
    public Stream stream(LlmRequest request, Listener listener) {
        FakeReply reply;
        synchronized (this) {
            requests.add(request);
            reply = script.poll();
        }
        if (reply == null) {
            reply = otherwise != null ? otherwise.apply(request) : FakeReply.fails("no scripted reply");
        }
        open.incrementAndGet();
        FakeStream stream = new FakeStream(listener);
        stream.play(reply);
        return stream;
    }

    public synchronized List<LlmRequest> requests() {
        return List.copyOf(requests);
    }

    /** Streams started and neither finished nor closed. */
    public int openStreams() {
        return open.get();
    }

    private final class FakeStream implements Stream {
        private final Listener listener;
        private final Emissions emissions = new Emissions(scheduler);

        FakeStream(Listener listener) {
            this.listener = listener;
        }

        void play(FakeReply reply) {
            List<Runnable> tokens = new ArrayList<>();
            for (FakeReply.Step step : reply.steps()) {
                switch (step) {
                    case FakeReply.Text text -> {
                        for (String word : text.text().split("(?<=\\s)")) {
                            tokens.add(() -> listener.onText(word));
                        }
                    }
                    case FakeReply.Tool tool -> tokens.add(() -> listener.onToolCall(tool.call()));
                }
            }
            Runnable ending = switch (reply.ending()) {
                case DONE -> () -> {
                    if (finish()) {
                        listener.onDone();
                    }
                };
                case FAIL -> () -> {
                    if (finish()) {
                        listener.onError(reply.failure());
                    }
                };
                case STALL -> () -> { };
            };
            Duration at = timeToFirstToken.next();
            for (int i = 0; i < tokens.size(); i++) {
                emissions.after(at.plus(perToken.multipliedBy(i)), tokens.get(i));
            }
            Duration end = tokens.isEmpty() ? at : at.plus(perToken.multipliedBy(tokens.size() - 1));
            emissions.after(end, ending);
        }

        /** The stream ends by itself; false if it was closed first. */
        private boolean finish() {
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
        private Latency timeToFirstToken = Latency.millis(200);
        private Duration perToken = Duration.ofMillis(20);
        private final List<FakeReply> replies = new ArrayList<>();
        private Function<LlmRequest, FakeReply> otherwise;

        private Builder(Scheduler scheduler) {
            this.scheduler = scheduler;
        }

        /** Default 200 ms. */
        public Builder timeToFirstToken(Latency latency) {
            timeToFirstToken = latency;
            return this;
        }

        /** Default 20 ms. */
        public Builder perToken(Duration delay) {
            perToken = delay;
            return this;
        }

        /** Replies to the first, second, ... request. */
        public Builder replies(FakeReply... scripted) {
            replies.addAll(List.of(scripted));
            return this;
        }

        /** Answers requests once the scripted replies are used up. */
        public Builder otherwise(Function<LlmRequest, FakeReply> answer) {
            otherwise = answer;
            return this;
        }

        public FakeLanguageModel build() {
            return new FakeLanguageModel(this);
        }
    }
}
