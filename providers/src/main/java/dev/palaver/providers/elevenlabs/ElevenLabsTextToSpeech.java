package dev.palaver.providers.elevenlabs;

import dev.palaver.media.time.Scheduler;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.speechhttp.HttpSynthesizer;
import dev.palaver.providers.speechhttp.SpeechUrls;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * ElevenLabs streaming speech synthesis ({@code POST {base}/v1/text-to-speech/{voice_id}/stream?
 * output_format=pcm_16000}, body {@code {"text", "model_id"}}, header {@code xi-api-key}). {@code pcm_*}
 * formats are raw 16-bit little-endian mono; rates other than 16 kHz are converted as chunks arrive.
 */
public final class ElevenLabsTextToSpeech implements TextToSpeech, AutoCloseable {

    static final String PROVIDER = "ElevenLabs TTS";
    /** Our bound on one request's text (sentences and clauses are far shorter). */
    static final int MAX_TEXT_CHARS = 5000;
    private static final Set<Integer> RATES = Set.of(16_000, 22_050, 24_000, 44_100);

    private final URI endpoint;
    private final ApiKey key;
    private final String modelId;
    private final String languageCode;
    private final int sampleRate;
    private final HttpSynthesizer http;

    private ElevenLabsTextToSpeech(Builder b) {
        String voice = SpeechUrls.pathSegment(b.voiceId, "voice id");
        this.endpoint = SpeechUrls.build(b.baseUrl, "/v1/text-to-speech/" + voice + "/stream",
                Map.of("output_format", "pcm_" + b.sampleRate));
        this.key = b.key;
        this.modelId = b.modelId;
        this.languageCode = b.languageCode;
        this.sampleRate = b.sampleRate;
        this.http = new HttpSynthesizer(PROVIDER, b.key, b.timeouts, b.scheduler, MAX_TEXT_CHARS);
    }

    /** @param voiceId the voice to speak with (ElevenLabs voice id) */
    public static Builder builder(ApiKey key, String voiceId, Scheduler scheduler) {
        return new Builder(key, voiceId, scheduler);
    }

    @Override
    public Synthesis synthesize(String text, Listener listener) {
        return http.synthesize(text, listener, sampleRate, () -> http.jsonPost(endpoint,
                        Json.fields("text", text, "model_id", modelId, "language_code", languageCode))
                .header("xi-api-key", key.reveal())
                .header("Accept", "audio/pcm")
                .build());
    }

    /** Syntheses in flight. */
    public int inFlight() {
        return http.inFlight();
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "ElevenLabsTextToSpeech[" + endpoint + ", model " + modelId + ", " + key + "]";
    }

    public static final class Builder {
        private final ApiKey key;
        private final String voiceId;
        private final Scheduler scheduler;
        private URI baseUrl = URI.create("https://api.elevenlabs.io");
        private String modelId = "eleven_flash_v2_5";
        private String languageCode;
        private int sampleRate = 16_000;
        private HttpTimeouts timeouts = HttpTimeouts.synthesis();

        private Builder(ApiKey key, String voiceId, Scheduler scheduler) {
            this.key = Objects.requireNonNull(key, "key");
            if (!key.isPresent()) {
                throw new IllegalArgumentException("ElevenLabs needs an API key");
            }
            this.voiceId = SpeechUrls.pathSegment(voiceId, "voice id");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        }

        /** Without the version, e.g. {@code https://api.elevenlabs.io}. */
        public Builder baseUrl(URI v) { baseUrl = Objects.requireNonNull(v); return this; }

        public Builder modelId(String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("model id is blank");
            }
            modelId = v;
            return this;
        }

        /** ISO 639-1 language to enforce (models that support it); null to let the model decide. */
        public Builder languageCode(String v) { languageCode = v; return this; }

        /** {@code pcm_<rate>} asked of ElevenLabs: 16000 (no conversion), 22050, 24000 or 44100. */
        public Builder sampleRate(int v) {
            if (!RATES.contains(v)) {
                throw new IllegalArgumentException("ElevenLabs PCM sample rate must be one of " + RATES + ": " + v);
            }
            sampleRate = v;
            return this;
        }

        public Builder timeouts(HttpTimeouts v) { timeouts = Objects.requireNonNull(v); return this; }

        public ElevenLabsTextToSpeech build() {
            return new ElevenLabsTextToSpeech(this);
        }
    }
}
