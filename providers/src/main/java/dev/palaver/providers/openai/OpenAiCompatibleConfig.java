package dev.palaver.providers.openai;

import dev.palaver.providers.http.HeaderRules;
import dev.palaver.providers.http.HttpTimeouts;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An OpenAI-compatible Chat Completions endpoint. {@code baseUrl} includes the API version path, as the
 * vendors document it: {@code https://api.openai.com/v1}, {@code https://api.groq.com/openai/v1},
 * {@code https://api.together.xyz/v1}, {@code http://localhost:1234/v1} (LM Studio),
 * {@code http://localhost:11434/v1} (Ollama), {@code http://localhost:8000/v1} (vLLM),
 * {@code http://localhost:8080/v1} (llama.cpp server); {@code /chat/completions} is appended.
 *
 * <p>{@code apiKey} is optional (local servers) and sent as {@code Authorization: Bearer}.
 * {@code temperature} and {@code maxTokens} are omitted from requests when null;
 * {@code maxTokensParameter} is {@code max_tokens} (understood by every compatible server) or
 * {@code max_completion_tokens} (required by OpenAI's reasoning models). {@code toString()} masks the key
 * and header values.
 */
public record OpenAiCompatibleConfig(String name, URI baseUrl, String apiKey, String model,
        Map<String, String> extraHeaders, Double temperature, Integer maxTokens, String maxTokensParameter,
        HttpTimeouts timeouts) {

    static final Set<String> MANAGED_HEADERS = Set.of("authorization", "content-type", "accept");

    public OpenAiCompatibleConfig {
        baseUrl = HeaderRules.baseUrl(baseUrl);
        name = HeaderRules.name(name, baseUrl);
        apiKey = HeaderRules.apiKey(apiKey, false);
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model is required");
        }
        extraHeaders = HeaderRules.extraHeaders(extraHeaders, MANAGED_HEADERS);
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature must be within 0..2");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive");
        }
        if (maxTokensParameter == null) {
            maxTokensParameter = "max_tokens";
        }
        if (!maxTokensParameter.equals("max_tokens") && !maxTokensParameter.equals("max_completion_tokens")) {
            throw new IllegalArgumentException("maxTokensParameter must be max_tokens or max_completion_tokens");
        }
        Objects.requireNonNull(timeouts, "timeouts");
    }

    public static Builder builder(URI baseUrl, String model) {
        return new Builder(baseUrl, model);
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleConfig[name=" + name + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey == null ? "none" : "****") + ", model=" + model + ", extraHeaders="
                + HeaderRules.names(extraHeaders) + ", temperature=" + temperature + ", maxTokens=" + maxTokens
                + ", maxTokensParameter=" + maxTokensParameter + ", timeouts=" + timeouts + "]";
    }

    public static final class Builder {
        private String name;
        private final URI baseUrl;
        private String apiKey;
        private final String model;
        private final Map<String, String> extraHeaders = new LinkedHashMap<>();
        private Double temperature;
        private Integer maxTokens;
        private String maxTokensParameter = "max_tokens";
        private HttpTimeouts timeouts = HttpTimeouts.streaming();

        private Builder(URI baseUrl, String model) {
            this.baseUrl = baseUrl;
            this.model = model;
        }

        /** A short name for messages and metrics; default the base URL's host. */
        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder apiKey(String value) {
            apiKey = value;
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

        public Builder maxTokensParameter(String value) {
            maxTokensParameter = value;
            return this;
        }

        public Builder timeouts(HttpTimeouts value) {
            timeouts = value;
            return this;
        }

        public OpenAiCompatibleConfig build() {
            return new OpenAiCompatibleConfig(name, baseUrl, apiKey, model, extraHeaders, temperature, maxTokens,
                    maxTokensParameter, timeouts);
        }
    }
}
