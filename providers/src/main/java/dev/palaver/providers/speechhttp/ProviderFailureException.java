package dev.palaver.providers.speechhttp;

import java.util.Objects;

/** Carries a {@link ProviderFailure} out of code that processes a provider's answer. */
public final class ProviderFailureException extends RuntimeException {

    private final transient ProviderFailure failure;

    public ProviderFailureException(ProviderFailure failure) {
        super(Objects.requireNonNull(failure, "failure").message(), null, false, false);
        this.failure = failure;
    }

    public ProviderFailure failure() {
        return failure;
    }
}
