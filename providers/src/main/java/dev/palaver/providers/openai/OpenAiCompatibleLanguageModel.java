package dev.palaver.providers.openai;

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
 * Chat Completions with {@code stream: true} over server-sent events, for OpenAI and the servers that
 * speak its protocol. Each instance owns an HTTP client; {@link #close()} fails open streams and frees it.
 */
public final class OpenAiCompatibleLanguageModel implements LanguageModel, AutoCloseable {

    private final OpenAiCompatibleConfig config;
    private final URI endpoint;
    private final ProviderTransport transport;

    public OpenAiCompatibleLanguageModel(OpenAiCompatibleConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.endpoint = URI.create(config.baseUrl() + "/chat/completions");
        List<String> secrets = new ArrayList<>(config.extraHeaders().values());
        if (config.apiKey() != null) {
            secrets.add(config.apiKey());
        }
        this.transport = new ProviderTransport(config.name(), config.timeouts(), secrets);
    }

    public OpenAiCompatibleConfig config() {
        return config;
    }

    /**
     * Starts a completion. A request that cannot be sent (a tool schema that is not JSON, a closed model)
     * fails through the listener before this returns.
     */
    @Override
    public Stream stream(LlmRequest request, Listener listener) {
        try {
            String body = Json.write(OpenAiChatRequests.body(config, request));
            HttpRequest.Builder http = transport.request(endpoint)
                    .header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (config.apiKey() != null) {
                http.header("Authorization", "Bearer " + config.apiKey());
            }
            config.extraHeaders().forEach(http::header);
            OpenAiChatStream stream = new OpenAiChatStream(config.name(), listener);
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
        return "OpenAiCompatibleLanguageModel[" + config + "]";
    }
}
