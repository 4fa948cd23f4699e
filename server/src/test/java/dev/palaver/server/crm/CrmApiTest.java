package dev.palaver.server.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

class CrmApiTest extends SharedPalaverContext {

    private String member(UUID org) {
        return "Bearer " + IdentityTestAccess.tokenFor(context, org, Role.MEMBER);
    }

    private HttpResponse<String> post(String bearer, String path, String json) {
        return http.postJson(path, json, "Authorization", bearer);
    }

    private HttpResponse<String> patch(String bearer, String path, String json) {
        return http.send(http.request(path).header("Authorization", bearer).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> delete(String bearer, String path) {
        return http.send(http.request(path).header("Authorization", bearer).DELETE());
    }

    private static JsonNode ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return r.body().isEmpty() ? null : Http.json(r);
    }

    private static String code(HttpResponse<String> r) {
        return Http.json(r).get("code").asString();
    }

    @Test
    void customersAreStoredWithE164NumbersOncePerNumber() {
        String bearer = member(IdentityTestAccess.organization(context));
        JsonNode ann = ok(post(bearer, "/api/v1/customers", "{\"name\": \" Ann \", \"phone\": \"(415) 555-0100\"}"), 201);
        assertThat(ann.get("phone").asString()).isEqualTo("+14155550100");
        assertThat(ann.get("name").asString()).isEqualTo("Ann");
        HttpResponse<String> again = post(bearer, "/api/v1/customers", "{\"name\": \"Other\", \"phone\": \"+1 415 555 0100\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(code(again)).isEqualTo("conflict");
        HttpResponse<String> bad = post(bearer, "/api/v1/customers", "{\"name\": \"Bad\", \"phone\": \"12\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(code(bad)).isEqualTo("validation_failed");
        assertThat(post(bearer, "/api/v1/customers", "{\"phone\": \"+14155550111\"}").statusCode()).isEqualTo(400);
        JsonNode found = ok(http.get("/api/v1/customers?q=an", "Authorization", bearer), 200);
        assertThat(found.get("items").size()).isEqualTo(1);
        assertThat(found.get("items").get(0).get("id").asString()).isEqualTo(ann.get("id").asString());
    }

    @Test
    void appointmentsOfOneResourceNeverOverlap() {
        String bearer = member(IdentityTestAccess.organization(context));
        JsonNode first = ok(post(bearer, "/api/v1/appointments", """
                {"customer": {"name": "Ann", "phone": "+14155550100"}, "service": "haircut",
                 "startsAt": "2031-03-04T15:00:00Z", "durationMinutes": 30}"""), 201);
        assertThat(first.get("endsAt").asString()).isEqualTo("2031-03-04T15:30:00Z");
        assertThat(first.get("resource").asString()).isEqualTo("default");

        HttpResponse<String> overlap = post(bearer, "/api/v1/appointments", """
                {"customer": {"name": "Bob", "phone": "+14155550101"},
                 "startsAt": "2031-03-04T15:15:00Z", "endsAt": "2031-03-04T15:45:00Z"}""");
        assertThat(overlap.statusCode()).isEqualTo(409);
        assertThat(code(overlap)).isEqualTo("slot_taken");

        JsonNode adjacent = ok(post(bearer, "/api/v1/appointments", """
                {"customer": {"name": "Bob", "phone": "+14155550101"},
                 "startsAt": "2031-03-04T15:30:00Z", "endsAt": "2031-03-04T16:00:00Z"}"""), 201);
        ok(post(bearer, "/api/v1/appointments", """
                {"customer": {"name": "Cy", "phone": "+14155550102"}, "resource": "chair 2",
                 "startsAt": "2031-03-04T15:00:00Z", "endsAt": "2031-03-04T15:30:00Z"}"""), 201);

        String adjacentPath = "/api/v1/appointments/" + adjacent.get("id").asString();
        HttpResponse<String> moveOnto = patch(bearer, adjacentPath, "{\"startsAt\": \"2031-03-04T15:10:00Z\"}");
        assertThat(moveOnto.statusCode()).isEqualTo(409);
        assertThat(code(moveOnto)).isEqualTo("slot_taken");
        JsonNode moved = ok(patch(bearer, adjacentPath, "{\"startsAt\": \"2031-03-04T17:00:00Z\", \"notes\": \"late\"}"), 200);
        assertThat(moved.get("endsAt").asString()).isEqualTo("2031-03-04T17:30:00Z");
        assertThat(moved.get("notes").asString()).isEqualTo("late");

        ok(delete(bearer, "/api/v1/appointments/" + first.get("id").asString()), 204);
        ok(post(bearer, "/api/v1/appointments", """
                {"customer": {"name": "Bob", "phone": "+14155550101"}, "startsAt": "2031-03-04T15:00:00Z"}"""), 201);
        assertThat(delete(bearer, "/api/v1/appointments/" + first.get("id").asString()).statusCode()).isEqualTo(404);

        JsonNode day = ok(http.get("/api/v1/appointments?from=2031-03-04T00:00:00Z&to=2031-03-05T00:00:00Z&resource=default",
                "Authorization", bearer), 200);
        assertThat(day.get("items").size()).isEqualTo(2);
    }

    @Test
    void badTimesAreRefused() {
        String bearer = member(IdentityTestAccess.organization(context));
        String customer = "\"customer\": {\"name\": \"Ann\", \"phone\": \"+14155550100\"}";
        assertThat(code(post(bearer, "/api/v1/appointments", "{" + customer + ", \"startsAt\": \"tomorrow\"}")))
                .isEqualTo("validation_failed");
        assertThat(code(post(bearer, "/api/v1/appointments", "{" + customer
                + ", \"startsAt\": \"2031-03-04T15:00:00Z\", \"endsAt\": \"2031-03-04T14:00:00Z\"}"))).isEqualTo("validation_failed");
        assertThat(code(post(bearer, "/api/v1/appointments", "{" + customer + "}"))).isEqualTo("validation_failed");
        assertThat(code(post(bearer, "/api/v1/appointments", "{\"startsAt\": \"2031-03-04T15:00:00Z\"}")))
                .isEqualTo("validation_failed");
        assertThat(code(post(bearer, "/api/v1/appointments", "{\"customerId\": \"" + UUID.randomUUID()
                + "\", \"startsAt\": \"2031-03-04T15:00:00Z\"}"))).isEqualTo("not_found");
    }

    @Test
    void twentyConcurrentBookingsOfOneSlotMakeOneAppointment() {
        String bearer = member(IdentityTestAccess.organization(context));
        List<CompletableFuture<HttpResponse<String>>> bookings = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String body = """
                    {"customer": {"name": "Caller %d", "phone": "+1415555%04d"}, "startsAt": "2031-05-06T10:00:00Z"}"""
                    .formatted(i, 300 + i);
            bookings.add(http.sendAsync(http.request("/api/v1/appointments").header("Authorization", bearer)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))));
        }
        List<Integer> statuses = bookings.stream().map(f -> f.join().statusCode()).toList();
        assertThat(statuses.stream().filter(s -> s == 201).count()).as(statuses.toString()).isEqualTo(1);
        assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(19);
        JsonNode all = ok(http.get("/api/v1/appointments", "Authorization", bearer), 200);
        assertThat(all.get("items").size()).isEqualTo(1);
    }

    @Test
    void anotherOrganizationSeesAndChangesNothing() {
        String mine = member(IdentityTestAccess.organization(context));
        String theirs = member(IdentityTestAccess.organization(context));
        JsonNode a = ok(post(mine, "/api/v1/appointments", """
                {"customer": {"name": "Ann", "phone": "+14155550100"}, "startsAt": "2031-03-04T15:00:00Z"}"""), 201);
        String path = "/api/v1/appointments/" + a.get("id").asString();
        assertThat(ok(http.get("/api/v1/appointments", "Authorization", theirs), 200).get("items").size()).isZero();
        assertThat(ok(http.get("/api/v1/customers", "Authorization", theirs), 200).get("items").size()).isZero();
        assertThat(patch(theirs, path, "{\"notes\": \"x\"}").statusCode()).isEqualTo(404);
        assertThat(delete(theirs, path).statusCode()).isEqualTo(404);
        assertThat(post(theirs, "/api/v1/appointments", "{\"customerId\": \"" + a.get("customerId").asString()
                + "\", \"startsAt\": \"2031-03-05T15:00:00Z\"}").statusCode()).isEqualTo(404);
        // The same slot is free in another organization: resources are per organization.
        ok(post(theirs, "/api/v1/appointments", """
                {"customer": {"name": "Zed", "phone": "+14155550100"}, "startsAt": "2031-03-04T15:00:00Z"}"""), 201);
    }

    @Test
    void viewersReadButDoNotBook() {
        UUID org = IdentityTestAccess.organization(context);
        String viewer = "Bearer " + IdentityTestAccess.tokenFor(context, org, Role.VIEWER);
        assertThat(http.get("/api/v1/appointments", "Authorization", viewer).statusCode()).isEqualTo(200);
        assertThat(post(viewer, "/api/v1/appointments", """
                {"customer": {"name": "Ann", "phone": "+14155550100"}, "startsAt": "2031-03-04T15:00:00Z"}""")
                .statusCode()).isEqualTo(403);
    }
}
