package dev.palaver.server.telephony;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Twilio's REST API for calls, on loopback: create (POST .../Calls.json) answers like Twilio with a new
 * Call SID; update (POST .../Calls/{sid}.json) is recorded. Requests must carry the account's Basic
 * credentials, as the SDK sends them; others get 401.
 */
final class FakeTwilioRest implements AutoCloseable {

    record Request(String path, Map<String, String> form) {
    }

    private static final Pattern CREATE = Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-f]{32})/Calls\\.json");
    private static final Pattern UPDATE = Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-f]{32})/Calls/(CA[0-9a-f]{32})\\.json");

    private final HttpServer server;
    private final String authorization;
    private final List<Request> creates = new CopyOnWriteArrayList<>();
    private final List<Request> updates = new CopyOnWriteArrayList<>();
    private volatile int failCreatesWith;

    FakeTwilioRest(String accountSid, String authToken) throws IOException {
        authorization = "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/2010-04-01/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void failCreatesWith(int status) {
        failCreatesWith = status;
    }

    List<Request> creates() {
        return List.copyOf(creates);
    }

    List<Request> updates() {
        return List.copyOf(updates);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, String> form = TwilioRequests.form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "{\"code\":20003,\"message\":\"Authenticate\",\"status\":401}");
            return;
        }
        Matcher create = CREATE.matcher(path);
        Matcher update = UPDATE.matcher(path);
        if (create.matches() && "POST".equals(exchange.getRequestMethod())) {
            if (failCreatesWith != 0) {
                respond(exchange, failCreatesWith, "{\"code\":21211,\"message\":\"The 'To' number is not valid.\",\"status\":"
                        + failCreatesWith + "}");
                return;
            }
            creates.add(new Request(path, form));
            String sid = TwilioFixtures.callSid();
            respond(exchange, 201, """
                    {"sid": "%s", "account_sid": "%s", "to": "%s", "from": "%s", "status": "queued",
                     "direction": "outbound-api", "api_version": "2010-04-01"}"""
                    .formatted(sid, create.group(1), form.get("To"), form.get("From")));
        } else if (update.matches() && "POST".equals(exchange.getRequestMethod())) {
            updates.add(new Request(path, form));
            respond(exchange, 200, """
                    {"sid": "%s", "account_sid": "%s", "status": "%s"}"""
                    .formatted(update.group(2), update.group(1), form.getOrDefault("Status", "in-progress")));
        } else {
            respond(exchange, 404, "{\"code\":20404,\"message\":\"Not found\",\"status\":404}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
