package dev.palaver.providers.resilience;

import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.http.ProviderFailure;
import java.util.Objects;

/**
 * Speech synthesis over a chain of providers (ElevenLabs, then OpenAI, then offline flite, say), with the
 * retries, breakers, first-audio budget and fallbacks of a {@link FallbackRun}. Once the first chunk of
 * audio has reached the listener, a failure is the listener's error: the sentence is never restarted on
 * another voice. A listener that is a {@link ProviderFailure.Receiver} gets the failure classified.
 */
public final class ResilientTextToSpeech implements TextToSpeech {

    private final Fallbacks<TextToSpeech> setup;

    ResilientTextToSpeech(Fallbacks<TextToSpeech> setup) {
        this.setup = setup;
    }

    @Override
    public Synthesis synthesize(String text, Listener listener) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(listener, "listener");
        Run run = new Run(text, listener);
        run.start();
        return run::close;
    }

    private final class Run extends FallbackRun<TextToSpeech> {
        private final String text;
        private final Listener listener;

        Run(String text, Listener listener) {
            super(setup, listener, listener::onError);
            this.text = text;
            this.listener = listener;
        }

        @Override
        protected AutoCloseable open(TextToSpeech provider, int attempt) {
            return provider.synthesize(text, new AttemptListener(attempt));
        }

        private final class AttemptListener extends Attempt implements Listener {
            AttemptListener(int id) {
                super(id);
            }

            @Override
            public void onAudio(short[] pcm) {
                output(() -> listener.onAudio(pcm));
            }

            @Override
            public void onDone() {
                done(listener::onDone);
            }
        }
    }
}
