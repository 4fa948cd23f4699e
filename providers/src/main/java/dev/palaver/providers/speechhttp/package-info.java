/**
 * What the cloud speech-synthesis providers (Deepgram Aura, ElevenLabs, OpenAI-compatible) share on top of
 * {@link dev.palaver.providers.http}: one synthesis streamed over an
 * {@link dev.palaver.providers.http.HttpExchange} ({@link dev.palaver.providers.speechhttp.HttpSynthesizer}),
 * PCM16 decoding and conversion to the engine's 16 kHz
 * ({@link dev.palaver.providers.speechhttp.PcmStreamDecoder}), answers settled without a request, and
 * provider URLs ({@link dev.palaver.providers.speechhttp.SpeechUrls}). Failures, timeouts, credentials and
 * JSON are the shared ones of {@link dev.palaver.providers.http}. No provider retries by itself.
 */
package dev.palaver.providers.speechhttp;
