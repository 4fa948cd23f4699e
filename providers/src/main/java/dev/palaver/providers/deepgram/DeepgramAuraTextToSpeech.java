package dev.palaver.providers.deepgram;

import dev.palaver.media.time.Scheduler;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.speechhttp.HttpSynthesizer;
import dev.palaver.providers.speechhttp.SpeechUrls;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Deepgram Aura speech synthesis over REST ({@code POST {base}/v1/speak?model=…&encoding=linear16&
 * sample_rate=…&container=none}, body {@code {"text": …}}, {@code Authorization: Token <key>}). The audio
 * streams back as raw PCM16; REST wraps linear16 in a WAV header unless {@code container=none}, and a
 * header that comes anyway is stripped. Other rates than 16 kHz are converted as they arrive.
 */
public final class DeepgramAuraTextToSpeech implements TextToSpeech, AutoCloseable {

    static final String PROVIDER = "Deepgram TTS";
    /** Deepgram's limit on the text of one request. */
    static final int MAX_TEXT_CHARS = 2000;
    private static final Set<Integer> RATES = Set.of(8000, 16000, 24000, 32000, 48000);

    private final URI endpoint;
    private final ApiKey key;
    private final int sampleRate;
    private final HttpSynthesizer http;

    private DeepgramAuraTextToSpeech(Builder b) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("model", b.model);
        query.put("encoding", "linear16");
        query.put("sample_rate", Integer.toString(b.sampleRate));
        query.put("container", "none");
        this.endpoint = SpeechUrls.build(b.baseUrl, "/v1/speak", query);
        this.key = b.key;
        this.sampleRate = b.sampleRate;
        this.http = new HttpSynthesizer(PROVIDER, b.key, b.timeouts, b.scheduler, MAX_TEXT_CHARS);
    }

    public static Builder builder(ApiKey key, Scheduler scheduler) {
        return new Builder(key, scheduler);
    }

    @Override
    public Synthesis synthesize(String text, Listener listener) {
        return http.synthesize(text, listener, sampleRate, () -> http.jsonPost(endpoint, Json.fields("text", text))
                .header("Authorization", "Token " + key.reveal())
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
        return "DeepgramAuraTextToSpeech[" + endpoint + ", " + key + "]";
    }

    public static final class Builder {
        private final ApiKey key;
        private final Scheduler scheduler;
        private URI baseUrl = URI.create("https://api.deepgram.com");
        private String model = "aura-2-thalia-en";
        private int sampleRate = 16_000;
        private HttpTimeouts timeouts = HttpTimeouts.synthesis();

        private Builder(ApiKey key, Scheduler scheduler) {
            this.key = Objects.requireNonNull(key, "key");
            if (!key.isPresent()) {
                throw new IllegalArgumentException("Deepgram needs an API key");
            }
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        }

        /** Without the version, e.g. {@code https://api.deepgram.com}. */
        public Builder baseUrl(URI v) { baseUrl = Objects.requireNonNull(v); return this; }

        /** The voice model, e.g. {@code aura-2-thalia-en}. */
        public Builder model(String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("model is blank");
            }
            model = v;
            return this;
        }

        /** Rate asked of Deepgram (8, 16, 24, 32 or 48 kHz); 16 kHz needs no conversion. */
        public Builder sampleRate(int v) {
            if (!RATES.contains(v)) {
                throw new IllegalArgumentException("Deepgram linear16 sample rate must be one of " + RATES + ": " + v);
            }
            sampleRate = v;
            return this;
        }

        public Builder timeouts(HttpTimeouts v) { timeouts = Objects.requireNonNull(v); return this; }

        public DeepgramAuraTextToSpeech build() {
            return new DeepgramAuraTextToSpeech(this);
        }
    }
}
