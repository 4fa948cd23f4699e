package dev.palaver.providers.resilience;

import dev.palaver.providers.http.ProviderFailure;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every metrics callback, as a metrics system would see it. */
final class RecordingMetrics implements ProviderMetrics {

    record Finished(String provider, Capability capability, Outcome outcome, Optional<Duration> firstOutput,
            Duration total) {
    }

    record Failure(String provider, Capability capability, ProviderFailure.Kind kind) {
    }

    record Retry(String provider, Capability capability, Duration delay) {
    }

    record Breaker(String provider, String fingerprint, BreakerState state) {
    }

    final List<String> started = new CopyOnWriteArrayList<>();
    final List<Finished> finished = new CopyOnWriteArrayList<>();
    final List<Failure> failures = new CopyOnWriteArrayList<>();
    final List<Retry> retries = new CopyOnWriteArrayList<>();
    final List<Breaker> breakers = new CopyOnWriteArrayList<>();

    @Override
    public void requestStarted(String provider, Capability capability) {
        started.add(provider);
    }

    @Override
    public void requestFinished(String provider, Capability capability, Outcome outcome, Optional<Duration> firstOutput,
            Duration total) {
        finished.add(new Finished(provider, capability, outcome, firstOutput, total));
    }

    @Override
    public void failure(String provider, Capability capability, ProviderFailure.Kind kind) {
        failures.add(new Failure(provider, capability, kind));
    }

    @Override
    public void retryScheduled(String provider, Capability capability, Duration delay) {
        retries.add(new Retry(provider, capability, delay));
    }

    @Override
    public void breakerStateChanged(String provider, String fingerprint, BreakerState state) {
        breakers.add(new Breaker(provider, fingerprint, state));
    }

    List<Outcome> outcomes(String provider) {
        return finished.stream().filter(f -> f.provider().equals(provider)).map(Finished::outcome).toList();
    }

    /** Every value any callback was given, as text: what could become a tag. */
    String everything() {
        return started + " " + finished + " " + failures + " " + retries + " " + breakers;
    }
}
