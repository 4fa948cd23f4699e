package dev.palaver.providers.resilience;

import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.stt.SpeechToText;
import dev.palaver.media.time.Scheduler;
import dev.palaver.media.tts.TextToSpeech;
import java.util.Objects;

/**
 * What every resilient decorator of a process shares: the scheduler its timers run on (backoff, first-output
 * budget; no thread of its own), the circuit breakers (one per provider and credential) and the metrics
 * sink. Build one per process and make decorators from it.
 */
public final class Resilience {

    private final Scheduler scheduler;
    private final ProviderBreakers breakers;
    private final ProviderMetrics metrics;

    public Resilience(Scheduler scheduler, ProviderBreakers.Settings breakers, ProviderMetrics metrics) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.breakers = new ProviderBreakers(breakers, scheduler, metrics);
    }

    public ResilientLanguageModel languageModel(FallbackChain<LanguageModel> chain, ResiliencePolicy policy) {
        return new ResilientLanguageModel(new Fallbacks<>(chain, policy, this, ProviderMetrics.Capability.LLM));
    }

    public ResilientSpeechToText speechToText(FallbackChain<SpeechToText> chain, ResiliencePolicy policy) {
        return new ResilientSpeechToText(new Fallbacks<>(chain, policy, this, ProviderMetrics.Capability.STT));
    }

    public ResilientTextToSpeech textToSpeech(FallbackChain<TextToSpeech> chain, ResiliencePolicy policy) {
        return new ResilientTextToSpeech(new Fallbacks<>(chain, policy, this, ProviderMetrics.Capability.TTS));
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public ProviderBreakers breakers() {
        return breakers;
    }

    public ProviderMetrics metrics() {
        return metrics;
    }
}
