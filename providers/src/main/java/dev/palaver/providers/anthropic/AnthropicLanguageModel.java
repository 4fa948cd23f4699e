package dev.palaver.providers.anthropic;

import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.providers.http.HttpExchange;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.http.ProviderException;
import dev.palaver.providers.http.ProviderTransport;
import dev.palaver.providers.http.StreamingCompletion;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Anthropic's Messages API with {@code stream: true}. Each instance owns an HTTP client; {@link #close()}
 * fails open streams and frees it.
 */
public final class AnthropicLanguageModel implements LanguageModel, AutoCloseable {

    static final String API_VERSION = "2023-06-01";

    private final AnthropicConfig config;
    private final URI endpoint;
    private final ProviderTransport transport;

    public AnthropicLanguageModel(AnthropicConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.endpoint = URI.create(config.baseUrl() + "/v1/messages");
        List<String> secrets = new ArrayList<>(config.extraHeaders().values());
        secrets.add(config.apiKey());
        this.transport = new ProviderTransport(config.name(), config.timeouts(), secrets);
    }

    public AnthropicConfig config() {
        return config;
    }

    /**
     * Starts a completion. A request that cannot be sent (a tool schema that is not JSON, a closed model)
     * fails through the listener before this returns.
     */
    @Override
    public Stream stream(LlmRequest request, Listener listener) {
        try {
            String body = Json.write(AnthropicRequests.body(config, request));
            HttpRequest.Builder http = transport.request(endpoint)
                    .header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream")
                    .header("x-api-key", config.apiKey())
                    .header("anthropic-version", API_VERSION)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            config.extraHeaders().forEach(http::header);
            AnthropicStream stream = new AnthropicStream(config.name(), listener);
            HttpExchange exchange = transport.exchange(http.build(), stream);
            stream.attach(exchange);
            exchange.start();
            return stream;
        } catch (ProviderException e) {
            return StreamingCompletion.failed(listener, transport.redact(e.failure()));
        }
    }

    /** Streams in flight (started, not yet released); for tests and metrics. */
    public int openStreams() {
        return transport.openExchanges();
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "AnthropicLanguageModel[" + config + "]";
    }
}
