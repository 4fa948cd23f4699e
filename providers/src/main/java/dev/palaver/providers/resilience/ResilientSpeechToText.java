package dev.palaver.providers.resilience;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.stt.SpeechToText;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Recognition over a chain of providers, with the retries, breakers and fallbacks of a {@link FallbackRun}.
 * Until the first transcript (partial or final) reaches the listener, the audio pushed and the ends of
 * speech are kept (the last {@link ResiliencePolicy#maxReplay()} of audio) and replayed into a fallback,
 * so a provider that fails or never answers is replaced without the caller repeating themselves. The
 * first-output budget runs from the first end of speech: a provider that owes a final and says nothing is
 * abandoned. After the first transcript the stream is settled on its provider: a failure is the
 * listener's error, nothing is replayed.
 */
public final class ResilientSpeechToText implements SpeechToText {

    private static final Object END_OF_SPEECH = new Object();

    private final Fallbacks<SpeechToText> setup;
    private final long maxReplaySamples;

    ResilientSpeechToText(Fallbacks<SpeechToText> setup) {
        this.setup = setup;
        this.maxReplaySamples = AudioFormat.samplesFor(AudioFormat.SAMPLE_RATE,
                (int) setup.policy().maxReplay().toMillis());
    }

    @Override
    public Stream open(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        Run run = new Run(listener);
        run.start();
        return run;
    }

    private final class Run extends FallbackRun<SpeechToText> implements Stream {
        private final Listener listener;
        // Confined to the serial queue.
        private final ArrayDeque<Object> replay = new ArrayDeque<>();
        private long replaySamples;
        private boolean replaying = true;
        private Stream current;

        Run(Listener listener) {
            super(setup, listener, listener::onError);
            this.listener = listener;
        }

        @Override
        public void push(short[] frame) {
            if (isClosed()) {
                return;
            }
            post(() -> {
                if (replaying) {
                    keep(frame);
                }
                if (current != null) {
                    current.push(frame);
                }
            });
        }

        @Override
        public void endOfSpeech() {
            if (isClosed()) {
                return;
            }
            post(() -> {
                if (replaying) {
                    replay.add(END_OF_SPEECH);
                }
                if (current != null) {
                    current.endOfSpeech();
                    startFirstOutputClock();
                }
            });
        }

        /** Keeps a frame for replay, dropping the oldest audio past the bound (ends of speech stay). */
        private void keep(short[] frame) {
            replay.add(frame);
            replaySamples += frame.length;
            while (replaySamples > maxReplaySamples) {
                Object oldest = replay.peek();
                if (!(oldest instanceof short[] dropped)) {
                    break;
                }
                replay.poll();
                replaySamples -= dropped.length;
            }
        }

        @Override
        protected AutoCloseable open(SpeechToText provider, int attempt) {
            Stream stream = provider.open(new AttemptListener(attempt));
            current = stream;
            boolean owesFinal = false;
            for (Object item : replay) {
                if (item == END_OF_SPEECH) {
                    stream.endOfSpeech();
                    owesFinal = true;
                } else {
                    stream.push((short[]) item);
                }
            }
            if (owesFinal) {
                // Started by the caller once this returns: the attempt is not in flight before.
                post(this::startFirstOutputClock);
            }
            return stream;
        }

        @Override
        protected boolean firstOutputClockAtStart() {
            return false;
        }

        @Override
        protected boolean settlesAtFirstOutput() {
            return true;
        }

        @Override
        protected void outputStarted() {
            replaying = false;
            replay.clear();
            replaySamples = 0;
        }

        @Override
        protected void attemptEnded() {
            current = null;
        }

        private final class AttemptListener extends Attempt implements Listener {
            AttemptListener(int id) {
                super(id);
            }

            @Override
            public void onPartial(String text) {
                output(() -> listener.onPartial(text));
            }

            @Override
            public void onFinal(String text, boolean flushed) {
                output(() -> listener.onFinal(text, flushed));
            }
        }
    }
}
