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
            super(setup, listener, listener::onError);
            this.request = request;
            this.listener = listener;
        }

        @Override
        protected AutoCloseable open(LanguageModel provider, int attempt) {
            return provider.stream(request, new AttemptListener(attempt));
        }

        private final class AttemptListener extends Attempt implements Listener {
            AttemptListener(int id) {
                super(id);
            }

            @Override
            public void onText(String delta) {
                output(() -> listener.onText(delta));
            }

            @Override
            public void onToolCall(ToolCall call) {
                output(() -> listener.onToolCall(call));
            }

            @Override
            public void onDone() {
                done(listener::onDone);
            }
        }
    }
}
