package dev.palaver.providers.resilience;

import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.providers.http.ProviderFailure;
import java.util.Objects;

/**
 * A language model over a chain of providers, with the retries, breakers, first-token budget and fallbacks
 * of a {@link FallbackRun}. Once a text delta or a tool call has reached the listener, a failure is the
 * listener's error: the reply is never started again elsewhere. A listener that is a
 * {@link ProviderFailure.Receiver} gets the failure classified.
 */
public final class ResilientLanguageModel implements LanguageModel {

    private final Fallbacks<LanguageModel> setup;

    ResilientLanguageModel(Fallbacks<LanguageModel> setup) {
        this.setup = setup;
    }

    @Override
    public Stream stream(LlmRequest request, Listener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        Run run = new Run(request, listener);
        run.start();
        return run::close;
    }

    private final class Run extends FallbackRun<LanguageModel> {
        private final LlmRequest request;
        private final Listener listener;

        Run(LlmRequest request, Listener listener) {
            super(setup);
            this.request = request;
            this.listener = listener;
        }

        @Override
        protected AutoCloseable open(LanguageModel provider, Attempt attempt) {
            return provider.stream(request, new AttemptListener(attempt));
        }

        @Override
        protected void deliverFailure(ProviderFailure failure) {
            ProviderFailure.Receiver.deliver(listener, failure, listener::onError);
        }

        private final class AttemptListener implements Listener, ProviderFailure.Receiver {
            private final Attempt attempt;

            AttemptListener(Attempt attempt) {
                this.attempt = attempt;
            }

            @Override
            public void onText(String delta) {
                attempt.output(() -> listener.onText(delta));
            }

            @Override
            public void onToolCall(ToolCall call) {
                attempt.output(() -> listener.onToolCall(call));
            }

            @Override
            public void onDone() {
                attempt.done(listener::onDone);
            }

            @Override
            public void onError(String message) {
                attempt.error(message);
            }

            @Override
            public void onFailure(ProviderFailure failure) {
                attempt.failed(failure);
            }
        }
    }
}
