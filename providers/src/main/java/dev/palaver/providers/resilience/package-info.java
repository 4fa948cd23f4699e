/**
 * Resilience around every provider, with Resilience4j (circuit breaker, retry) and no thread of its own.
 *
 * <p>{@link dev.palaver.providers.resilience.Resilience} (one per process: scheduler, breakers, metrics)
 * makes {@link dev.palaver.providers.resilience.ResilientLanguageModel},
 * {@link dev.palaver.providers.resilience.ResilientSpeechToText} and
 * {@link dev.palaver.providers.resilience.ResilientTextToSpeech}, each over a
 * {@link dev.palaver.providers.resilience.FallbackChain} of named providers (for speech: ElevenLabs, then
 * OpenAI, then offline flite) under a {@link dev.palaver.providers.resilience.ResiliencePolicy}. The rules:
 * <ul>
 * <li>a transient failure ({@link dev.palaver.providers.http.ProviderFailure#retryable()}) is retried on the
 * same provider, with exponential backoff and jitter or after the provider's Retry-After, only while no
 * output has reached the caller and only within the retry budget; a wait past the budget, or any other
 * failure, moves to the next provider at once;</li>
 * <li>one circuit breaker per provider and credential ({@link dev.palaver.providers.resilience.ProviderBreakers},
 * keyed by the key's fingerprint, never the key); an open breaker skips its provider without a call;</li>
 * <li>an attempt that accepts but produces nothing within the first-output budget is abandoned for the next
 * provider (connect, first-byte and idle-gap timeouts stay the providers' own);</li>
 * <li>once output has reached the caller, a failure is the caller's error: half an answer is never
 * replayed (the call engine apologizes or uses its own stall fallback).</li>
 * </ul>
 * {@link dev.palaver.providers.resilience.ProviderMetrics} reports attempts, failures, retries and breaker
 * states to whatever metrics system the application has.
 */
package dev.palaver.providers.resilience;
