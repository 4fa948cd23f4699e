package dev.palaver.server.calls;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * An OpenAI-compatible chat completions server on loopback: every request streams {@code reply} as
 * server-sent events, a few words per chunk. Records the request bodies.
 */
public final class FakeOpenAi implements AutoCloseable {

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile String reply;

    public FakeOpenAi(String reply) throws IOException {
        this.reply = reply;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", exchange -> {
            requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                String[] words = this.reply.split(" ");
                for (int i = 0; i < words.length; i += 3) {
                    StringBuilder piece = new StringBuilder();
                    for (int j = i; j < Math.min(words.length, i + 3); j++) {
                        piece.append(j == 0 ? "" : " ").append(words[j]);
                    }
                    out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                            + piece.toString().replace("\"", "\\\"") + "\"}}]}\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.write("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
                        .getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public void reply(String text) {
        reply = text;
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
