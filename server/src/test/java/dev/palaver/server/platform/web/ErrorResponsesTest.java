package dev.palaver.server.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

/** Every error answers RFC 9457 problem+json with a stable code and the response's X-Request-ID. */
class ErrorResponsesTest extends SharedPalaverContext {

    private static final int TWO_MB = 2 * 1024 * 1024;

    @Test
    void malformedJsonAnswersProblemWithRequestId() {
        HttpResponse<String> r = http.postJson("/test/echo", "{\"name\": \"Ada\", ");

        JsonNode body = assertProblem(r, 400, "malformed_json");
        assertThat(body.get("detail").asString()).doesNotContain("Unexpected", "JSON parse error", "Greeting");
    }

    @Test
    void bodyAboveTheLimitWithContentLengthAnswers413() {
        HttpResponse<String> r = http.send(http.request("/test/echo")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonOfSize(TWO_MB))));

        assertProblem(r, 413, "payload_too_large");
    }

    @Test
    void chunkedBodyAboveTheLimitAnswers413() {
        byte[] body = jsonOfSize(TWO_MB).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(http.request("/test/echo")
                .header("Content-Type", "application/json")
                // No length known up front: java.net.http sends it with Transfer-Encoding: chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

        assertThat(r.request().headers().firstValue("Content-Length")).isEmpty();
        assertProblem(r, 413, "payload_too_large");
    }

    @Test
    void bodyJustUnderTheLimitIsAccepted() {
        HttpResponse<String> r = http.postJson("/test/echo", jsonOfSize(1024 * 1024 - 64));

        // Reaches the handler (which then validates the over-long name): the limit did not interfere.
        assertProblem(r, 400, "validation_failed");
    }

    @Test
    void unknownRouteAnswers404Problem() {
        HttpResponse<String> r = http.get("/no/such/route");

        assertProblem(r, 404, "not_found");
    }

    @Test
    void wrongMethodAnswers405Problem() {
        HttpResponse<String> r = http.send(http.request("/test/echo").DELETE());

        assertProblem(r, 405, "method_not_allowed");
        assertThat(r.headers().firstValue("Allow")).hasValueSatisfying(v -> assertThat(v).contains("POST"));
    }

    @Test
    void unsupportedContentTypeAnswers415Problem() {
        HttpResponse<String> r = http.send(http.request("/test/echo")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("name=Ada")));

        assertProblem(r, 415, "unsupported_media_type");
    }

    @Test
    void validationFailureAnswers400WithFieldErrors() {
        HttpResponse<String> r = http.postJson("/test/echo", "{\"name\": \"\", \"email\": \"not an address\"}");

        JsonNode body = assertProblem(r, 400, "validation_failed");
        List<String> fields = new ArrayList<>();
        body.get("errors").forEach(e -> {
            fields.add(e.get("field").asString());
            assertThat(e.get("message").asString()).isNotBlank();
        });
        assertThat(fields).containsExactlyInAnyOrder("name", "email");
    }

    @Test
    void unexpectedExceptionAnswers500WithoutInternals() {
        HttpResponse<String> r = http.get("/test/boom");

        JsonNode body = assertProblem(r, 500, "internal_error");
        assertNoInternals(r.body());
        assertThat(r.body()).doesNotContain("simulated failure", "TestEndpoints");
        assertThat(body.get("detail").asString()).contains("request id");
    }

    @Test
    void databaseErrorAnswers500WithoutSqlOrClassNames() {
        HttpResponse<String> r = http.get("/test/sql-failure");

        assertProblem(r, 500, "internal_error");
        assertNoInternals(r.body());
        assertThat(r.body()).doesNotContainIgnoringCase("no_such_column").doesNotContainIgnoringCase("select")
                .doesNotContain("organizations", "BadSqlGrammar", "PSQL", "postgres");
    }

    @Test
    void unauthenticatedApiRequestAnswers401Problem() {
        HttpResponse<String> r = http.get("/api/v1/me");

        assertProblem(r, 401, "unauthenticated");
    }

    private static void assertNoInternals(String body) {
        assertThat(body).doesNotContain("Exception", "java.", "org.springframework", "dev.palaver", "\tat ",
                "stackTrace", "trace", "SQL", "jdbc");
    }

    /** Asserts status, problem media type, code, and that requestId equals the X-Request-ID header. */
    static JsonNode assertProblem(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(status);
        assertThat(Http.mediaType(r)).isEqualTo("application/problem+json");
        JsonNode body = Http.json(r);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("code").asString()).isEqualTo(code);
        assertThat(body.get("type").asString()).startsWith("https://");
        assertThat(body.get("title").asString()).isNotBlank();
        assertThat(body.get("detail").asString()).isNotBlank();
        List<String> ids = r.headers().allValues("X-Request-ID");
        assertThat(ids).hasSize(1);
        assertThat(body.get("requestId").asString()).isEqualTo(ids.getFirst());
        return body;
    }

    /** A JSON object of exactly {@code bytes} bytes: {"name":"xxxx…"}. */
    static String jsonOfSize(int bytes) {
        String head = "{\"name\":\"";
        String tail = "\"}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }
}
