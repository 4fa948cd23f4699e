package dev.palaver.providers.openai;

import dev.palaver.media.embed.Embedder;
import dev.palaver.providers.http.BufferedBody;
import dev.palaver.providers.http.Failures;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.http.ProviderException;
import dev.palaver.providers.http.ProviderFailure;
import dev.palaver.providers.http.ProviderTransport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Embeddings from an OpenAI-compatible {@code /embeddings} endpoint, float vectors, in batches. Failures
 * are thrown as {@link ProviderException}s. Each instance owns an HTTP client; close it when done.
 */
public final class OpenAiCompatibleEmbedder implements Embedder, AutoCloseable {

    static final int MAX_RESPONSE_BYTES = 64 << 20;

    private final OpenAiEmbeddingConfig config;
    private final URI endpoint;
    private final ProviderTransport transport;

    public OpenAiCompatibleEmbedder(OpenAiEmbeddingConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.endpoint = URI.create(config.baseUrl() + "/embeddings");
        List<String> secrets = new ArrayList<>(config.extraHeaders().values());
        if (config.apiKey() != null) {
            secrets.add(config.apiKey());
        }
        this.transport = new ProviderTransport(config.name(), config.timeouts(), secrets);
    }

    @Override
    public int dimension() {
        return config.dimensions();
    }

    /** Blocks for at most the configured total time per batch; throws {@link ProviderException} on failure. */
    @Override
    public float[][] embed(List<String> texts) {
        float[][] out = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += config.maxBatchSize()) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + config.maxBatchSize()));
            float[][] vectors = embedBatch(batch);
            System.arraycopy(vectors, 0, out, from, vectors.length);
        }
        return out;
    }

    private float[][] embedBatch(List<String> batch) {
        ObjectNode body = Json.object();
        body.put("model", config.model());
        ArrayNode input = body.putArray("input");
        batch.forEach(input::add);
        body.put("encoding_format", "float");
        if (config.requestDimensions()) {
            body.put("dimensions", config.dimensions());
        }
        HttpRequest.Builder http = transport.request(endpoint)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (config.apiKey() != null) {
            http.header("Authorization", "Bearer " + config.apiKey());
        }
        config.extraHeaders().forEach(http::header);
        byte[] response = BufferedBody.fetch(transport, http.build(), MAX_RESPONSE_BYTES);
        return parse(response, batch.size());
    }

    private float[][] parse(byte[] response, int count) {
        JsonNode root = Json.tryParse(response);
        if (root == null || !root.isObject()) {
            throw malformed("the response is not a JSON object");
        }
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            String code = Failures.codeOf(error);
            throw new ProviderException(ProviderFailure.Kind.SERVER_ERROR,
                    config.name() + ": error in the response" + (code == null ? "" : " (" + code + ")"));
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isArray()) {
            throw malformed("the response has no data array");
        }
        if (data.size() != count) {
            throw malformed("the response has " + data.size() + " embeddings for " + count + " inputs");
        }
        float[][] vectors = new float[count][];
        int position = 0;
        for (JsonNode item : data) {
            JsonNode indexNode = item.get("index");
            int index = indexNode != null && indexNode.isIntegralNumber() ? indexNode.asInt() : position;
            if (index < 0 || index >= count || vectors[index] != null) {
                throw malformed("the response has a missing, repeated or out-of-range index");
            }
            vectors[index] = vector(item.get("embedding"));
            position++;
        }
        return vectors;
    }

    /** A float array, or base64 of little-endian float32s from servers that ignore {@code encoding_format}. */
    private float[] vector(JsonNode embedding) {
        float[] vector;
        if (embedding != null && embedding.isArray()) {
            vector = new float[embedding.size()];
            int i = 0;
            for (JsonNode value : embedding) {
                if (!value.isNumber()) {
                    throw malformed("an embedding holds a value that is not a number");
                }
                vector[i++] = value.floatValue();
            }
        } else if (embedding != null && embedding.isString()) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(embedding.stringValue());
            } catch (IllegalArgumentException e) {
                throw malformed("an embedding is neither numbers nor base64");
            }
            if (bytes.length % 4 != 0) {
                throw malformed("a base64 embedding is not whole float32s");
            }
            vector = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        } else {
            throw malformed("an item has no embedding");
        }
        if (vector.length != config.dimensions()) {
            throw malformed("an embedding has " + vector.length + " dimensions, expected " + config.dimensions());
        }
        return vector;
    }

    private ProviderException malformed(String what) {
        return new ProviderException(ProviderFailure.Kind.MALFORMED, config.name() + ": " + what);
    }

    /** Requests in flight; for tests and metrics. */
    public int openRequests() {
        return transport.openExchanges();
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleEmbedder[" + config + "]";
    }
}
