/**
 * Plumbing shared by the cloud speech providers (Deepgram, ElevenLabs, OpenAI-compatible): the four
 * timeouts every request or stream runs under ({@link dev.palaver.providers.speechhttp.SpeechTimeouts}),
 * streaming HTTP with those timeouts ({@link dev.palaver.providers.speechhttp.StreamingHttpCall}), PCM16
 * decoding and conversion to the engine's 16 kHz ({@link dev.palaver.providers.speechhttp.PcmStreamDecoder}),
 * and the failure model a resilience layer works with.
 *
 * <p>Failures: every provider failure is a {@link dev.palaver.providers.speechhttp.ProviderFailure} of one
 * {@link dev.palaver.providers.speechhttp.ProviderFailure.Kind} (whether a retry can help, the provider's
 * {@code Retry-After}, the HTTP status). A listener that also implements
 * {@link dev.palaver.providers.speechhttp.ProviderFailureListener} receives it whole, instead of the SPI's
 * {@code onError(String)}; others get its message. Messages never hold a credential: keys are
 * {@link dev.palaver.providers.speechhttp.ApiKey}s, which print masked, and provider text quoted in a message
 * is redacted of the key and cut short. No provider retries by itself.
 */
package dev.palaver.providers.speechhttp;
