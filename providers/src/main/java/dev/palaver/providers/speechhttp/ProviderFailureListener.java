package dev.palaver.providers.speechhttp;

import java.util.function.Consumer;

/**
 * Implemented by a {@code SpeechToText.Listener} or {@code TextToSpeech.Listener} that wants failures
 * classified (a resilience layer deciding on retry, breaker and fallback). The cloud speech providers then
 * call {@link #onFailure} <em>instead of</em> {@code onError}; other listeners get {@code onError} with
 * {@link ProviderFailure#message()}. Either way exactly one failure call is made, and nothing follows it.
 */
public interface ProviderFailureListener {

    void onFailure(ProviderFailure failure);

    /** Hands {@code failure} to {@code listener} the richer way if it can take it, else to {@code onError}. */
    static void deliver(Object listener, ProviderFailure failure, Consumer<String> onError) {
        if (listener instanceof ProviderFailureListener classified) {
            classified.onFailure(failure);
        } else {
            onError.accept(failure.message());
        }
    }
}
