package dev.palaver.server.providers;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

import dev.palaver.providers.http.ProviderFailure;
import dev.palaver.providers.resilience.ProviderMetrics;

/**
 * The resilience layer's provider metrics in Micrometer, scraped by Prometheus as
 * <ul>
 * <li>{@code palaver_provider_latency_seconds} (histogram; provider, kind, outcome): each attempt on a
 * provider from start to end;</li>
 * <li>{@code palaver_provider_first_output_seconds} (histogram; provider, kind): time to an attempt's first
 * output, the latency a caller hears;</li>
 * <li>{@code palaver_provider_errors_total} (provider, kind, class): failures by their kind;</li>
 * <li>{@code palaver_provider_retries_total} (provider, kind);</li>
 * <li>{@code palaver_provider_breaker_state} (provider, credential; 0 closed, 1 half-open, 2 open).</li>
 * </ul>
 * {@code kind} is llm, stt, tts or embed. {@code credential} is the key's fingerprint (8 hex digits of its
 * SHA-256), never the key.
 */
@Component
public class MicrometerProviderMetrics implements ProviderMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, AtomicInteger> breakerStates = new ConcurrentHashMap<>();

    public MicrometerProviderMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void requestFinished(String provider, Capability capability, Outcome outcome, Optional<Duration> firstOutput,
            Duration total) {
        Timer.builder("palaver.provider.latency")
                .description("Time from the start to the end of one attempt on a provider")
                .tags("provider", provider, "kind", capability.tag(), "outcome", outcome.tag())
                .publishPercentileHistogram()
                .register(registry)
                .record(total);
        firstOutput.ifPresent(latency -> Timer.builder("palaver.provider.first.output")
                .description("Time from the start of an attempt on a provider to its first output")
                .tags("provider", provider, "kind", capability.tag())
                .publishPercentileHistogram()
                .register(registry)
                .record(latency));
    }

    @Override
    public void failure(String provider, Capability capability, ProviderFailure.Kind kind) {
        Counter.builder("palaver.provider.errors")
                .description("Failed attempts on a provider, by failure class")
                .tags("provider", provider, "kind", capability.tag(), "class", kind.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry)
                .increment();
    }

    @Override
    public void retryScheduled(String provider, Capability capability, Duration delay) {
        Counter.builder("palaver.provider.retries")
                .description("Retries of a failed attempt on the same provider")
                .tags("provider", provider, "kind", capability.tag())
                .register(registry)
                .increment();
    }

    @Override
    public void breakerStateChanged(String provider, String fingerprint, BreakerState state) {
        AtomicInteger value = breakerStates.computeIfAbsent(provider + "#" + fingerprint, key -> {
            AtomicInteger holder = new AtomicInteger();
            Gauge.builder("palaver.provider.breaker.state", holder, AtomicInteger::get)
                    .description("Circuit breaker of a provider and credential: 0 closed, 1 half-open, 2 open")
                    .tags("provider", provider, "credential", fingerprint)
                    .strongReference(true)
                    .register(registry);
            return holder;
        });
        value.set(state.gauge());
    }
}
