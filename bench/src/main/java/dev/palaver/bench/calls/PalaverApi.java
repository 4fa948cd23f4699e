package dev.palaver.bench.calls;

import dev.palaver.providers.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * The REST API calls a benchmark makes as an organization's admin would: log in, then JSON in and out.
 * A status outside 2xx is an error carrying the problem document.
 */
public final class PalaverApi {

    private final HttpClient http;
    private final String baseUrl;
    private volatile String token;

    public PalaverApi(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }


    /** Logs in (the organization is the admin's first unless {@code orgId} names one). */
    public PalaverApi login(String email, String password) throws IOException, InterruptedException {
        JsonNode answer = send("POST", "/api/v1/auth/login", Json.fields("email", email, "password", password));
        token = Json.string(answer, "accessToken");
        return this;
    }

    /** Uses this bearer token (an access token or an API key) from now on. */
    public PalaverApi bearer(String value) {
        token = value;
        return this;
    }


    public JsonNode get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    public JsonNode post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json);
    }

    public JsonNode put(String path, String json) throws IOException, InterruptedException {
        return send("PUT", path, json);
    }

    /** Sends a request; the answer's JSON (an empty object for no content). */
    public JsonNode send(String method, String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = exchange(method, path, json);
        if (response.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode body = response.body().isEmpty() ? Json.object() : Json.tryParse(response.body());
        if (body == null) {
            throw new IOException(method + " " + path + " answered no JSON: " + response.body());
        }
        return body;
    }

    /** Sends a request and returns the raw answer, whatever its status. */
    public HttpResponse<String> exchange(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
