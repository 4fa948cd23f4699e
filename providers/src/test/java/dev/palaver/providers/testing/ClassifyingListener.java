package dev.palaver.providers.testing;

import dev.palaver.providers.http.ProviderFailure;

/** A recording listener that takes classified failures, as a resilience layer would. */
public final class ClassifyingListener extends RecordingListener implements ProviderFailure.Receiver {

    private volatile ProviderFailure failure;

    @Override
    public void onFailure(ProviderFailure f) {
        failure = f;
        record(new Error(f.safeMessage()));
        ended();
    }

    /** The failure; fails if the stream did not end in one. */
    public ProviderFailure failure() {
        error();
        return failure;
    }
}
