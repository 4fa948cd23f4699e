package dev.palaver.providers.anthropic;

import dev.palaver.providers.http.HeaderRules;
import dev.palaver.providers.http.HttpTimeouts;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Anthropic's Messages API. {@code baseUrl} is the host root ({@code https://api.anthropic.com});
 * {@code /v1/messages} is appended. The key goes in {@code x-api-key}. {@code maxTokens} is required by
 * the API (default 1024); {@code temperature} (0..1) is omitted when null. Extra headers carry, for
 * example, {@code anthropic-beta}. {@code toString()} masks the key and header values.
 */
public record AnthropicConfig(String name, URI baseUrl, String apiKey, String model,
        Map<String, String> extraHeaders, Double temperature, int maxTokens, HttpTimeouts timeouts) {

    public static final URI DEFAULT_BASE_URL = URI.create("https://api.anthropic.com");
    static final Set<String> MANAGED_HEADERS = Set.of("x-api-key", "anthropic-version", "content-type", "accept");

    public AnthropicConfig {
        baseUrl = HeaderRules.baseUrl(baseUrl);
        name = HeaderRules.name(name, baseUrl);
        apiKey = HeaderRules.apiKey(apiKey, true);
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model is required");
        }
        extraHeaders = HeaderRules.extraHeaders(extraHeaders, MANAGED_HEADERS);
        if (temperature != null && !(temperature >= 0 && temperature <= 1)) {
            throw new IllegalArgumentException("temperature must be within 0..1");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive");
        }
        Objects.requireNonNull(timeouts, "timeouts");
    }

    public static Builder builder(String apiKey, String model) {
        return new Builder(apiKey, model);
    }

    @Override
    public String toString() {
        return "AnthropicConfig[name=" + name + ", baseUrl=" + baseUrl + ", apiKey=****, model=" + model
                + ", extraHeaders=" + HeaderRules.names(extraHeaders) + ", temperature=" + temperature
                + ", maxTokens=" + maxTokens + ", timeouts=" + timeouts + "]";
    }

    public static final class Builder {
        private String name;
        private URI baseUrl = DEFAULT_BASE_URL;
        private final String apiKey;
        private final String model;
        private final Map<String, String> extraHeaders = new LinkedHashMap<>();
        private Double temperature;
        private int maxTokens = 1024;
        private HttpTimeouts timeouts = HttpTimeouts.streaming();

        private Builder(String apiKey, String model) {
            this.apiKey = apiKey;
            this.model = model;
        }

        /** A short name for messages and metrics; default the base URL's host. */
        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder baseUrl(URI value) {
            baseUrl = value;
            return this;
        }

        public Builder header(String headerName, String value) {
            extraHeaders.put(headerName, value);
            return this;
        }

        public Builder temperature(double value) {
            temperature = value;
            return this;
        }

        public Builder maxTokens(int value) {
            maxTokens = value;
            return this;
        }

        public Builder timeouts(HttpTimeouts value) {
            timeouts = value;
            return this;
        }

        public AnthropicConfig build() {
            return new AnthropicConfig(name, baseUrl, apiKey, model, extraHeaders, temperature, maxTokens, timeouts);
        }
    }
}
