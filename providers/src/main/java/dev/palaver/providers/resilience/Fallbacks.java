package dev.palaver.providers.resilience;

import dev.palaver.media.time.Scheduler;
import dev.palaver.providers.http.ProviderException;
import dev.palaver.providers.resilience.ProviderMetrics.Capability;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the runs of one resilient decorator share: the chain, the policy, a Resilience4j {@link Retry} per
 * provider (exponential backoff with jitter, or the provider's Retry-After when it gave one; only transient
 * failures), the breakers, the metrics and the scheduler.
 */
final class Fallbacks<T> {

    private final FallbackChain<T> chain;
    private final ResiliencePolicy policy;
    private final Resilience resilience;
    private final Capability capability;
    private final List<Retry> retries = new ArrayList<>();

    Fallbacks(FallbackChain<T> chain, ResiliencePolicy policy, Resilience resilience, Capability capability) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.resilience = Objects.requireNonNull(resilience, "resilience");
        this.capability = Objects.requireNonNull(capability, "capability");
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(policy.initialBackoff(),
                policy.backoffMultiplier(), policy.jitter(), policy.maxBackoff());
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(policy.maxAttempts())
                .retryOnException(e -> e instanceof ProviderException p && p.failure().retryable())
                .intervalBiFunction((attempt, outcome) -> {
                    if (outcome.isLeft() && outcome.getLeft() instanceof ProviderException p
                            && p.failure().retryAfter().isPresent()) {
                        return p.failure().retryAfter().get().toMillis();
                    }
                    return backoff.apply(attempt);
                })
                .build();
        for (FallbackChain.Link<T> link : chain.links()) {
            retries.add(Retry.of(capability.tag() + ":" + link.name() + "#" + link.fingerprint(), config));
        }
    }

    List<FallbackChain.Link<T>> links() {
        return chain.links();
    }

    Retry retry(int index) {
        return retries.get(index);
    }

    ResiliencePolicy policy() {
        return policy;
    }

    ProviderBreakers breakers() {
        return resilience.breakers();
    }

    ProviderMetrics metrics() {
        return resilience.metrics();
    }

    Scheduler scheduler() {
        return resilience.scheduler();
    }

    Capability capability() {
        return capability;
    }
}
