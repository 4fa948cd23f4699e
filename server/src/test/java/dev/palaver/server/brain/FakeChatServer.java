package dev.palaver.server.brain;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAI-compatible chat server on 127.0.0.1 that streams scripted answers (server-sent events), one
 * script step per request, and keeps every request body for the test to read.
 */
public final class FakeChatServer implements AutoCloseable {

    /** What the model answers: text, or one tool call. */
    public record Answer(String text, String toolName, String toolArguments) {
        public static Answer says(String text) {
            return new Answer(text, null, null);
        }

        public static Answer calls(String tool, String arguments) {
            return new Answer(null, tool, arguments);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Function<JsonNode, Answer>> script = new ConcurrentLinkedQueue<>();
    private final List<JsonNode> requests = new ArrayList<>();
    private int calls;

    public FakeChatServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            JsonNode request = TestTurnsClient.JSON.readTree(exchange.getRequestBody().readAllBytes());
            synchronized (requests) {
                requests.add(request);
            }
            Function<JsonNode, Answer> step = script.poll();
            Answer answer = step == null ? Answer.says("(no script)") : step.apply(request);
            byte[] body = sse(answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The next request is answered by {@code step}. */
    public FakeChatServer then(Function<JsonNode, Answer> step) {
        script.add(step);
        return this;
    }

    public FakeChatServer then(Answer answer) {
        return then(r -> answer);
    }

    public List<JsonNode> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private String sse(Answer answer) {
        ObjectNode delta = TestTurnsClient.JSON.createObjectNode();
        String finish = "stop";
        if (answer.text() != null) {
            delta.put("content", answer.text());
        } else {
            ObjectNode call = delta.putArray("tool_calls").addObject();
            call.put("index", 0).put("id", "call_" + (++calls)).put("type", "function");
            call.putObject("function").put("name", answer.toolName()).put("arguments", answer.toolArguments());
            finish = "tool_calls";
        }
        return "data: " + chunk(delta, null) + "\n\n" + "data: " + chunk(TestTurnsClient.JSON.createObjectNode(), finish)
                + "\n\n" + "data: [DONE]\n\n";
    }

    private static String chunk(ObjectNode delta, String finish) {
        ObjectNode chunk = TestTurnsClient.JSON.createObjectNode();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        if (finish != null) {
            choice.put("finish_reason", finish);
        }
        return chunk.toString();
    }

    /** The text of every message of a request, joined: for asserting what the model was told. */
    public static String said(JsonNode request) {
        StringBuilder out = new StringBuilder();
        request.path("messages").forEach(m -> out.append(m.path("role").asString()).append(": ")
                .append(m.path("content").isString() ? m.path("content").asString() : m.path("content").toString())
                .append('\n'));
        return out.toString();
    }

    static List<String> toolNames(JsonNode request) {
        List<String> names = new ArrayList<>();
        request.path("tools").forEach(t -> names.add(t.path("function").path("name").asString()));
        return names;
    }

    /** The role of the request's last message. */
    static String lastRole(JsonNode request) {
        JsonNode messages = request.path("messages");
        return messages.get(messages.size() - 1).path("role").asString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
