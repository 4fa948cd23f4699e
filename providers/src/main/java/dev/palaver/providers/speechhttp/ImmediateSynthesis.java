package dev.palaver.providers.speechhttp;

import dev.palaver.media.time.Cancellable;
import dev.palaver.media.time.Scheduler;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.http.ProviderFailure;
import java.time.Duration;

/**
 * A synthesis settled without asking the provider: blank text (done, no audio) or a request the provider
 * would refuse (a failure). The answer comes from the scheduler, never from inside {@code synthesize}, so
 * the caller sees the same order of events as for a real request.
 */
final class ImmediateSynthesis implements TextToSpeech.Synthesis {

    private final Object lock = new Object();
    private Cancellable pending;
    private boolean closed;

    private ImmediateSynthesis() {
    }

    /** Answers {@code onDone} with no audio. */
    static ImmediateSynthesis done(Scheduler scheduler, TextToSpeech.Listener listener) {
        ImmediateSynthesis s = new ImmediateSynthesis();
        s.schedule(scheduler, listener::onDone);
        return s;
    }

    /** Answers with {@code failure}. */
    static ImmediateSynthesis failed(Scheduler scheduler, TextToSpeech.Listener listener, ProviderFailure failure) {
        ImmediateSynthesis s = new ImmediateSynthesis();
        s.schedule(scheduler, () -> ProviderFailure.Receiver.deliver(listener, failure, listener::onError));
        return s;
    }

    private void schedule(Scheduler scheduler, Runnable answer) {
        synchronized (lock) {
            pending = scheduler.schedule(Duration.ZERO, () -> {
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    answer.run();
                }
            });
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            pending.cancel();
        }
    }
}
