package dev.palaver.server.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

/** X-Request-ID: kept when well formed, replaced otherwise, on every response and in the request's log lines. */
@ExtendWith(OutputCaptureExtension.class)
class RequestIdTest extends SharedPalaverContext {

    private static final String GENERATED = "[0-9a-f]{24}";

    @Test
    void wellFormedIncomingRequestIdIsEchoed() {
        String id = "client-" + UUID.randomUUID();

        HttpResponse<String> ok = http.get("/actuator/health/liveness", "X-Request-ID", id);
        HttpResponse<String> error = http.get("/no/such/route", "X-Request-ID", id);

        assertThat(ok.headers().allValues("X-Request-ID")).containsExactly(id);
        assertThat(error.headers().allValues("X-Request-ID")).containsExactly(id);
        assertThat(Http.json(error).get("requestId").asString()).isEqualTo(id);
    }

    @Test
    void malformedIncomingRequestIdIsReplaced() {
        for (String malformed : List.of("has spaces in it", "a".repeat(300), "short", "semi;colon;value", "ünïcödé-request")) {
            HttpResponse<String> r = http.get("/no/such/route", "X-Request-ID", malformed);

            String returned = r.headers().firstValue("X-Request-ID").orElseThrow();
            assertThat(returned).as("replacement for %s", malformed).isNotEqualTo(malformed).matches(GENERATED);
            assertThat(Http.json(r).get("requestId").asString()).isEqualTo(returned);
        }
    }

    @Test
    void everyResponseCarriesItsOwnRequestId() {
        List<HttpResponse<String>> responses = new ArrayList<>();
        responses.add(http.get("/actuator/health/liveness"));
        responses.add(http.get("/actuator/health/readiness"));
        responses.add(http.get("/api/docs"));
        responses.add(http.get("/api/v1/me"));
        responses.add(http.get("/no/such/route"));
        responses.add(http.get("/actuator/prometheus"));
        responses.add(http.get("/actuator/env"));
        responses.add(http.postJson("/test/echo", "{\"name\":\"Ada\"}"));
        responses.add(http.postJson("/test/echo", "{"));
        responses.add(http.postJson("/test/echo", ErrorResponsesTest.jsonOfSize(2 * 1024 * 1024)));
        responses.add(http.get("/test/boom"));
        responses.add(http.send(http.request("/api/v1/me").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://elsewhere.example.test").header("Access-Control-Request-Method", "GET")));

        var seen = new HashSet<String>();
        for (HttpResponse<String> r : responses) {
            List<String> ids = r.headers().allValues("X-Request-ID");
            assertThat(ids).as("X-Request-ID of %s %s (%d)", r.request().method(), r.request().uri(), r.statusCode())
                    .hasSize(1);
            assertThat(ids.getFirst()).matches(GENERATED);
            seen.add(ids.getFirst());
        }
        assertThat(seen).as("a new id per request").hasSize(responses.size());
        assertThat(responses).extracting(HttpResponse::statusCode).contains(200, 400, 401, 403, 404, 413, 500);
    }

    @Test
    void logLinesInsideARequestCarryItsRequestId(CapturedOutput output) {
        String id = "log-test-" + UUID.randomUUID();
        String marker = "marker-" + UUID.randomUUID();

        HttpResponse<String> r = http.get("/test/log?marker=" + marker, "X-Request-ID", id);
        HttpResponse<String> failed = http.get("/test/boom", "X-Request-ID", id + "-boom");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(lineContaining(output, marker)).contains(id);
        assertThat(lineContaining(output, "Unhandled error on GET /test/boom")).contains(id + "-boom");
    }

    private static String lineContaining(CapturedOutput output, String text) {
        return output.getAll().lines().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no log line contains " + text));
    }
}
