package dev.palaver.providers.http;

import java.util.Objects;

/**
 * A classified provider failure as an exception: thrown by blocking calls, and thrown by code that
 * processes a provider's answer to fail it. The message is the failure's safe message.
 */
public final class ProviderException extends RuntimeException {

    private final transient ProviderFailure failure;

    public ProviderException(ProviderFailure failure) {
        super(Objects.requireNonNull(failure, "failure").safeMessage(), null, false, true);
        this.failure = failure;
    }

    public ProviderException(ProviderFailure.Kind kind, String safeMessage) {
        this(new ProviderFailure(kind, safeMessage));
    }

    public ProviderFailure failure() {
        return failure;
    }

    public ProviderFailure.Kind kind() {
        return failure.kind();
    }
}
