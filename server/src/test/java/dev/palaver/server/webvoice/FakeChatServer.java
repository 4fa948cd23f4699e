package dev.palaver.server.webvoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

import dev.palaver.server.testing.Http;

/**
 * An OpenAI-compatible chat server on loopback that streams one fixed answer, word by word, as server-sent
 * events, and records the request bodies it got.
 */
final class FakeChatServer implements AutoCloseable {

    private final HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();

    FakeChatServer(String answer) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/chat/completions", exchange -> {
            requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String word : answer.split("(?<= )")) {
                    out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word + "\"}}]}\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.write("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
                        .getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    /**
     * Makes this server the organization's OpenAI (through {@code admin}'s provider credential) and creates an
     * LLM agent on it with offline speech; returns the agent's id.
     */
    String llmAgent(int port, String admin) {
        try (Http setup = new Http(port)) {
            HttpResponse<String> credential = setup.send(setup.request("/api/v1/provider-credentials/openai")
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"apiKey\":\"sk-test-" + UUID.randomUUID()
                            + "\",\"baseUrl\":\"" + baseUrl() + "\"}")));
            assertThat(credential.statusCode()).as(credential.body()).isLessThan(300);
            HttpResponse<String> created = setup.postJson("/api/v1/agents", """
                    {"name": "Salon %s", "brain": "llm", "personaPrompt": "You are the front desk of a salon.",
                     "providers": {"stt": {"provider": "offline"}, "llm": {"provider": "openai", "model": "fake"},
                                   "tts": {"provider": "offline"}}}""".formatted(UUID.randomUUID()),
                    "Authorization", "Bearer " + admin);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            return Http.json(created).get("id").asString();
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
