package dev.palaver.server.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

/** The API describes itself: OpenAPI 3.1 at /api/docs and a browsable UI at /api/docs/ui, without logging in. */
class ApiDocsTest extends SharedPalaverContext {

    @Test
    void openApi31DescriptionIsServedWithoutAuthentication() {
        HttpResponse<String> r = http.get("/api/docs");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Http.json(r).get("openapi").asString()).startsWith("3.1");
    }

    @Test
    void browsableUiIsServedWithoutAuthentication() {
        HttpResponse<String> r = http.get("/api/docs/ui");
        String location = r.headers().firstValue("Location").orElse("");
        if (r.statusCode() == 302) {
            r = http.get(location);
        }

        assertThat(r.statusCode()).as("GET /api/docs/ui (then %s)", location).isEqualTo(200);
        assertThat(Http.mediaType(r)).isEqualTo("text/html");
        assertThat(r.body()).contains("swagger-ui");
    }
}
