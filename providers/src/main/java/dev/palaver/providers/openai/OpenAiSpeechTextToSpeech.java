package dev.palaver.providers.openai;

import dev.palaver.media.time.Scheduler;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.speechhttp.HttpSynthesizer;
import dev.palaver.providers.speechhttp.SpeechUrls;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.Objects;

/**
 * OpenAI-compatible speech synthesis ({@code POST {base}/audio/speech}) with {@code response_format=pcm}:
 * raw 24 kHz 16-bit little-endian mono, streamed, converted to 16 kHz as it arrives. Works with OpenAI and
 * with compatible servers (base URL, key and model). The key goes in {@code Authorization: Bearer}; a
 * server that needs none can be given {@link ApiKey#none()}.
 */
public final class OpenAiSpeechTextToSpeech implements TextToSpeech, AutoCloseable {

    static final String PROVIDER = "OpenAI TTS";
    /** {@code pcm} is always 24 kHz. */
    static final int WIRE_RATE = 24_000;
    /** The API's limit on {@code input}. */
    static final int MAX_INPUT_CHARS = 4096;

    private final URI endpoint;
    private final ApiKey key;
    private final String model;
    private final String voice;
    private final String instructions;
    private final Double speed;
    private final HttpSynthesizer http;

    private OpenAiSpeechTextToSpeech(Builder b) {
        this.endpoint = SpeechUrls.build(b.baseUrl, "/audio/speech", Map.of());
        this.key = b.key;
        this.model = b.model;
        this.voice = b.voice;
        this.instructions = b.instructions;
        this.speed = b.speed;
        this.http = new HttpSynthesizer(PROVIDER, b.key, b.timeouts, b.scheduler, MAX_INPUT_CHARS);
    }

    public static Builder builder(ApiKey key, Scheduler scheduler) {
        return new Builder(key, scheduler);
    }

    @Override
    public Synthesis synthesize(String text, Listener listener) {
        return http.synthesize(text, listener, WIRE_RATE, () -> {
            String body = Json.fields("model", model, "input", text, "voice", voice, "response_format", "pcm",
                    "instructions", instructions, "speed", speed);
            HttpRequest.Builder request = http.jsonPost(endpoint, body).header("Accept", "audio/pcm");
            if (key.isPresent()) {
                request.header("Authorization", "Bearer " + key.reveal());
            }
            return request.build();
        });
    }

    /** Syntheses in flight. */
    public int inFlight() {
        return http.inFlight();
    }

    /** Closes syntheses in flight and releases the HTTP client. */
    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "OpenAiSpeechTextToSpeech[" + endpoint + ", model " + model + ", voice " + voice + ", " + key + "]";
    }

    public static final class Builder {
        private final ApiKey key;
        private final Scheduler scheduler;
        private URI baseUrl = URI.create("https://api.openai.com/v1");
        private String model = "gpt-4o-mini-tts";
        private String voice = "alloy";
        private String instructions;
        private Double speed;
        private HttpTimeouts timeouts = HttpTimeouts.synthesis();

        private Builder(ApiKey key, Scheduler scheduler) {
            this.key = Objects.requireNonNull(key, "key");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        }

        /** Up to and including the version, e.g. {@code https://api.openai.com/v1}. */
        public Builder baseUrl(URI v) { baseUrl = Objects.requireNonNull(v); return this; }

        public Builder model(String v) { model = requireText(v, "model"); return this; }

        public Builder voice(String v) { voice = requireText(v, "voice"); return this; }

        /** How to speak (models that take instructions only); null for none. */
        public Builder instructions(String v) { instructions = v; return this; }

        /** 0.25 to 4.0; null for the default. */
        public Builder speed(Double v) {
            if (v != null && !(v >= 0.25 && v <= 4.0)) {
                throw new IllegalArgumentException("speed must be 0.25 to 4.0: " + v);
            }
            speed = v;
            return this;
        }

        public Builder timeouts(HttpTimeouts v) { timeouts = Objects.requireNonNull(v); return this; }

        public OpenAiSpeechTextToSpeech build() {
            return new OpenAiSpeechTextToSpeech(this);
        }
    }

    private static String requireText(String v, String what) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
        return v;
    }
}
