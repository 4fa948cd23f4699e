package dev.palaver.providers.openai;

import dev.palaver.providers.http.HeaderRules;
import dev.palaver.providers.http.HttpTimeouts;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An OpenAI-compatible {@code /embeddings} endpoint ({@code baseUrl} includes the version path, as for
 * {@link OpenAiCompatibleConfig}). {@code dimensions} is the vector length the model returns; with
 * {@code requestDimensions} it is also sent as the {@code dimensions} parameter (for models that can
 * shorten their vectors, like OpenAI's text-embedding-3). Inputs are sent {@code maxBatchSize} at a time.
 */
public record OpenAiEmbeddingConfig(String name, URI baseUrl, String apiKey, String model, int dimensions,
        boolean requestDimensions, int maxBatchSize, Map<String, String> extraHeaders, HttpTimeouts timeouts) {

    public OpenAiEmbeddingConfig {
        baseUrl = HeaderRules.baseUrl(baseUrl);
        name = HeaderRules.name(name, baseUrl);
        apiKey = HeaderRules.apiKey(apiKey, false);
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model is required");
        }
        if (dimensions < 1) {
            throw new IllegalArgumentException("dimensions must be positive");
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be positive");
        }
        extraHeaders = HeaderRules.extraHeaders(extraHeaders, OpenAiCompatibleConfig.MANAGED_HEADERS);
        Objects.requireNonNull(timeouts, "timeouts");
    }

    public static Builder builder(URI baseUrl, String model, int dimensions) {
        return new Builder(baseUrl, model, dimensions);
    }

    @Override
    public String toString() {
        return "OpenAiEmbeddingConfig[name=" + name + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey == null ? "none" : "****") + ", model=" + model + ", dimensions=" + dimensions
                + ", requestDimensions=" + requestDimensions + ", maxBatchSize=" + maxBatchSize + ", extraHeaders="
                + HeaderRules.names(extraHeaders) + ", timeouts=" + timeouts + "]";
    }

    public static final class Builder {
        private String name;
        private final URI baseUrl;
        private String apiKey;
        private final String model;
        private final int dimensions;
        private boolean requestDimensions;
        private int maxBatchSize = 256;
        private final Map<String, String> extraHeaders = new LinkedHashMap<>();
        private HttpTimeouts timeouts = HttpTimeouts.buffered();

        private Builder(URI baseUrl, String model, int dimensions) {
            this.baseUrl = baseUrl;
            this.model = model;
            this.dimensions = dimensions;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder apiKey(String value) {
            apiKey = value;
            return this;
        }

        public Builder requestDimensions(boolean value) {
            requestDimensions = value;
            return this;
        }

        public Builder maxBatchSize(int value) {
            maxBatchSize = value;
            return this;
        }

        public Builder header(String headerName, String value) {
            extraHeaders.put(headerName, value);
            return this;
        }

        public Builder timeouts(HttpTimeouts value) {
            timeouts = value;
            return this;
        }

        public OpenAiEmbeddingConfig build() {
            return new OpenAiEmbeddingConfig(name, baseUrl, apiKey, model, dimensions, requestDimensions,
                    maxBatchSize, extraHeaders, timeouts);
        }
    }
}
