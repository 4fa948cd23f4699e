package dev.palaver.server.knowledge;

import static dev.palaver.server.knowledge.KnowledgeTesting.createBase;
import static dev.palaver.server.knowledge.KnowledgeTesting.search;
import static dev.palaver.server.knowledge.KnowledgeTesting.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

class KnowledgeApiTest extends SharedPalaverContext {

    static final String HOURS = "We are open Monday to Friday from 9 am to 6 pm.";
    static final String PRICES_MD = "# Prices\n\n- **Haircut**: 30 euros\n- **Colouring**: from 55 euros\n- Beard trim: 15 euros\n";
    static final String ADDRESS_HTML = "<!DOCTYPE html><html><head><title>Find us</title><script>track()</script></head>"
            + "<body><p>Our salon is at 12 Harbour Street, next to the post office.</p></body></html>";
    static final String VOUCHERS = "Gift vouchers are sold at the front desk in any amount.";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String admin(UUID org) {
        return "Bearer " + IdentityTestAccess.adminToken(context, org);
    }

    private static JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Http.json(response);
    }

    private static List<String> texts(JsonNode searchResult) {
        List<String> out = new ArrayList<>();
        searchResult.get("results").forEach(r -> out.add(r.get("text").asString()));
        return out;
    }

    private static String topText(HttpResponse<String> response) {
        JsonNode body = ok(response, 200);
        assertThat(body.get("results").size()).as(response.body()).isPositive();
        return body.get("results").get(0).get("text").asString();
    }

    /** A base with the salon's four documents, one of each type, plus a text distractor. */
    private UUID salon(String bearer) {
        UUID kb = createBase(http, bearer, "Salon " + UUID.randomUUID());
        assertThat(ok(upload(http, bearer, kb, "hours.txt", "text/plain", utf8(HOURS)), 201).get("contentType").asString())
                .isEqualTo("text/plain");
        assertThat(ok(upload(http, bearer, kb, "prices.md", "text/markdown", utf8(PRICES_MD)), 201).get("contentType").asString())
                .isEqualTo("text/markdown");
        assertThat(ok(upload(http, bearer, kb, "address.html", "text/html; charset=utf-8", utf8(ADDRESS_HTML)), 201)
                .get("contentType").asString()).isEqualTo("text/html");
        JsonNode pdf = ok(upload(http, bearer, kb, "parking.pdf", "application/pdf",
                KnowledgeTesting.pdf("Parking is free for customers", "behind the building.")), 201);
        assertThat(pdf.get("contentType").asString()).isEqualTo("application/pdf");
        assertThat(pdf.get("chunkCount").asInt()).isEqualTo(1);
        ok(upload(http, bearer, kb, "vouchers.txt", null, utf8(VOUCHERS)), 201);
        return kb;
    }

    @Test
    void eachDocumentTypeIsFoundByKeywordAndByMeaning() {
        UUID org = IdentityTestAccess.organization(context);
        String bearer = admin(org);
        UUID kb = salon(bearer);

        assertThat(topText(search(http, bearer, kb, "Harbour Street", 3))).contains("12 Harbour Street");
        assertThat(topText(search(http, bearer, kb, "haircut", 3))).contains("Haircut: 30 euros").doesNotContain("**");
        assertThat(topText(search(http, bearer, kb, "parking", 3))).isEqualTo("Parking is free for customers behind the building.");
        assertThat(topText(search(http, bearer, kb, "Monday", 3))).isEqualTo(HOURS);

        // No word of these questions (beyond stop words) is in the chunk they must find: only the vectors know.
        assertThat(topText(search(http, bearer, kb, "What time do you close?", 3))).isEqualTo(HOURS);
        assertThat(topText(search(http, bearer, kb, "Where can I leave my car?", 3))).startsWith("Parking is free");
        assertThat(topText(search(http, bearer, kb, "how much does it cost to cut my hair", 3))).contains("Haircut");
        assertThat(topText(search(http, bearer, kb, "where are you located", 3))).contains("Harbour Street").doesNotContain("track");
        assertThat(topText(search(http, bearer, kb, "what are your opening hours", 3))).isEqualTo(HOURS);

        JsonNode answer = ok(search(http, bearer, kb, "what are your opening hours", 2), 200);
        assertThat(answer.get("mode").asString()).isEqualTo("hybrid");
        assertThat(answer.has("degraded")).isFalse();
        assertThat(answer.get("results").size()).isEqualTo(2);
        JsonNode best = answer.get("results").get(0);
        assertThat(best.get("documentName").asString()).isEqualTo("hours.txt");
        assertThat(UUID.fromString(best.get("chunkId").asString())).isNotNull();
        assertThat(UUID.fromString(best.get("knowledgeBaseId").asString())).isEqualTo(kb);
        assertThat(best.get("score").asDouble()).isGreaterThan(answer.get("results").get(1).get("score").asDouble());
        assertThat(best.get("similarity").asDouble()).isBetween(0.5, 1.0);

        HttpResponse<String> defaults = http.postJson("/api/v1/knowledge-bases/" + kb + "/search",
                "{\"query\":\"salon prices parking hours vouchers\"}", "Authorization", bearer);
        assertThat(ok(defaults, 200).get("results").size()).isEqualTo(KnowledgeSearch.DEFAULT_LIMIT);

        String viewer = "Bearer " + IdentityTestAccess.tokenFor(context, org, Role.VIEWER);
        assertThat(topText(search(http, viewer, kb, "Harbour Street", 1))).contains("Harbour Street");
    }

    @Test
    void aLongDocumentIsStoredAsOverlappingChunksWithTheirEmbeddings() {
        UUID org = IdentityTestAccess.organization(context);
        String bearer = admin(org);
        UUID kb = createBase(http, bearer, "Handbook");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            text.append("Rule ").append(i).append(" of the house says guests are welcome in room ").append(i).append(". ");
        }
        JsonNode doc = ok(upload(http, bearer, kb, "handbook.txt", "text/plain", utf8(text.toString())), 201);
        int chunkCount = doc.get("chunkCount").asInt();
        assertThat(chunkCount).isGreaterThan(3);

        record Row(String text, byte[] embedding, String model) {
        }
        List<Row> rows = context.getBean(JdbcClient.class)
                .sql("select text, embedding, embedding_model from knowledge_chunks where org_id = ? and document_id = ? order by position")
                .params(org, UUID.fromString(doc.get("id").asString()))
                .query((rs, i) -> new Row(rs.getString(1), rs.getBytes(2), rs.getString(3))).list();
        assertThat(rows).hasSize(chunkCount);
        for (int i = 1; i < rows.size(); i++) {
            String previous = rows.get(i - 1).text();
            String next = rows.get(i).text();
            String firstSentence = next.substring(0, next.indexOf(". ") + 1);
            assertThat(previous).as("chunk %d starts where chunk %d ended", i, i - 1).endsWith(firstSentence);
        }
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.embedding()).hasSize(384 * Float.BYTES);
            assertThat(r.model()).isEqualTo(MiniLmEmbedder.ID);
        });
        assertThat(ok(http.get("/api/v1/knowledge-bases/" + kb, "Authorization", bearer), 200).get("chunkCount").asInt())
                .isEqualTo(chunkCount);
    }

    @Test
    void refusedUploadsSayWhyWithStableCodesAndStoreNothing() {
        UUID org = IdentityTestAccess.organization(context);
        String bearer = admin(org);
        UUID kb = createBase(http, bearer, "Refusals");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 1, 0};

        byte[] tooBig = new byte[(int) KnowledgeBases.MAX_DOCUMENT_BYTES + 1];
        java.util.Arrays.fill(tooBig, (byte) 'a');
        expectProblem(upload(http, bearer, kb, "big.txt", "text/plain", tooBig), 413, "payload_too_large");
        expectProblem(upload(http, bearer, kb, "logo.png", "image/png", png), 415, "unsupported_media_type");
        HttpResponse<String> disguised = upload(http, bearer, kb, "logo.txt", "text/plain", png);
        expectProblem(disguised, 415, "unsupported_media_type");
        assertThat(Http.json(disguised).get("detail").asString()).contains("not text");
        expectProblem(upload(http, bearer, kb, "hours.pdf", "application/pdf", utf8(HOURS)), 415, "unsupported_media_type");
        expectProblem(upload(http, bearer, kb, "empty.txt", "text/plain", new byte[0]), 400, "validation_failed");
        expectProblem(upload(http, bearer, kb, "blank.txt", "text/plain", utf8(" \n\n\t ")), 400, "validation_failed");
        expectProblem(upload(http, bearer, kb, "scan.pdf", "application/pdf", KnowledgeTesting.pdf()), 400, "validation_failed");
        expectProblem(http.postJson("/api/v1/knowledge-bases/" + kb + "/documents", "{\"text\":\"hi\"}", "Authorization", bearer),
                415, "unsupported_media_type");

        ok(upload(http, bearer, kb, "hours.txt", "text/plain", utf8(HOURS)), 201);
        expectProblem(upload(http, bearer, kb, "hours-again.txt", "text/plain", utf8(HOURS)), 409, "conflict");

        JsonNode listed = ok(http.get("/api/v1/knowledge-bases/" + kb + "/documents", "Authorization", bearer), 200);
        assertThat(listed.get("items").size()).isEqualTo(1);
        long chunks = context.getBean(JdbcClient.class).sql("select count(*) from knowledge_chunks where knowledge_base_id = ?")
                .param(kb).query(Long.class).single();
        assertThat(chunks).isEqualTo(1);
    }

    private static void expectProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(Http.mediaType(response)).isEqualTo("application/problem+json");
        JsonNode body = Http.json(response);
        assertThat(body.get("code").asString()).isEqualTo(code);
        assertThat(body.get("detail").asString()).isNotBlank();
        assertThat(body.get("requestId").asString()).isNotBlank();
    }

    @Test
    void anotherOrganizationGetsNotFoundAndNeverSeesResults() {
        UUID orgA = IdentityTestAccess.organization(context);
        UUID orgB = IdentityTestAccess.organization(context);
        String adminA = admin(orgA);
        String adminB = admin(orgB);
        UUID kbA = createBase(http, adminA, "Secrets");
        JsonNode doc = ok(upload(http, adminA, kbA, "secret.txt", "text/plain", utf8("The vault code is kept by Margaret.")), 201);
        String docA = doc.get("id").asString();
        UUID kbB = createBase(http, adminB, "Secrets");
        ok(upload(http, adminB, kbB, "other.txt", "text/plain", utf8("Our vault is empty.")), 201);

        String base = "/api/v1/knowledge-bases/" + kbA;
        assertThat(http.get(base, "Authorization", adminB).statusCode()).isEqualTo(404);
        assertThat(http.get(base + "/documents", "Authorization", adminB).statusCode()).isEqualTo(404);
        assertThat(search(http, adminB, kbA, "vault code", 5).statusCode()).isEqualTo(404);
        assertThat(upload(http, adminB, kbA, "x.txt", "text/plain", utf8("intruder")).statusCode()).isEqualTo(404);
        assertThat(http.send(http.request(base + "/documents/" + docA).header("Authorization", adminB).DELETE()).statusCode())
                .isEqualTo(404);
        assertThat(http.send(http.request(base).header("Authorization", adminB).DELETE()).statusCode()).isEqualTo(404);
        assertThat(http.get("/api/v1/knowledge-bases", "Authorization", adminB).body()).doesNotContain(kbA.toString());

        KnowledgeSearch service = context.getBean(KnowledgeSearch.class);
        assertThat(service.search(orgB, List.of(kbA, kbB), "vault code Margaret", 20).results())
                .extracting(KnowledgeSearch.Hit::text).containsExactly("Our vault is empty.");
        assertThat(texts(ok(search(http, adminB, kbB, "vault code Margaret", 20), 200))).containsExactly("Our vault is empty.");
        assertThat(topText(search(http, adminA, kbA, "vault code", 5))).contains("Margaret");
        assertThat(http.get(base + "/documents", "Authorization", adminA).body()).contains(docA);
    }

    @Test
    void deletingADocumentOrABaseRemovesItsChunksFromSearch() {
        UUID org = IdentityTestAccess.organization(context);
        String bearer = admin(org);
        UUID kb = createBase(http, bearer, "Menu");
        String soup = ok(upload(http, bearer, kb, "soup.txt", "text/plain", utf8("Tomato soup is served daily until noon.")), 201)
                .get("id").asString();
        ok(upload(http, bearer, kb, "bread.txt", "text/plain", utf8("Fresh bread is baked every morning.")), 201);
        assertThat(topText(search(http, bearer, kb, "tomato soup", 5))).contains("Tomato soup");

        var deleted = http.send(http.request("/api/v1/knowledge-bases/" + kb + "/documents/" + soup)
                .header("Authorization", bearer).DELETE());
        assertThat(deleted.statusCode()).isEqualTo(204);
        JsonNode after = ok(search(http, bearer, kb, "tomato soup", 5), 200);
        after.get("results").forEach(r -> assertThat(r.get("documentId").asString()).isNotEqualTo(soup));
        assertThat(texts(after)).containsExactly("Fresh bread is baked every morning.");
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        assertThat(jdbc.sql("select count(*) from knowledge_chunks where document_id = ?").param(UUID.fromString(soup))
                .query(Long.class).single()).isZero();
        assertThat(http.send(http.request("/api/v1/knowledge-bases/" + kb + "/documents/" + soup)
                .header("Authorization", bearer).DELETE()).statusCode()).isEqualTo(404);

        assertThat(http.send(http.request("/api/v1/knowledge-bases/" + kb).header("Authorization", bearer).DELETE())
                .statusCode()).isEqualTo(204);
        assertThat(search(http, bearer, kb, "bread", 5).statusCode()).isEqualTo(404);
        assertThat(context.getBean(KnowledgeSearch.class).search(org, List.of(kb), "fresh bread", 5).results()).isEmpty();
        assertThat(jdbc.sql("select action from audit_events where org_id = ? and action like 'knowledge%' order by id")
                .param(org).query(String.class).list()).containsExactly("knowledge_base.created", "knowledge_document.added",
                "knowledge_document.added", "knowledge_document.deleted", "knowledge_base.deleted");
    }

    @Test
    void knowledgeBasesAreValidatedListedByPageAndCounted() {
        UUID org = IdentityTestAccess.organization(context);
        String bearer = admin(org);
        for (String name : List.of("First", "Second", "Third")) {
            createBase(http, bearer, name);
        }
        expectProblem(http.postJson("/api/v1/knowledge-bases", "{\"name\":\"second\"}", "Authorization", bearer), 409, "conflict");
        expectProblem(http.postJson("/api/v1/knowledge-bases", "{\"name\":\" \"}", "Authorization", bearer), 400, "validation_failed");

        JsonNode page1 = ok(http.get("/api/v1/knowledge-bases?limit=2", "Authorization", bearer), 200);
        assertThat(page1.get("items")).extracting(n -> n.get("name").asString()).containsExactly("Third", "Second");
        JsonNode page2 = ok(http.get("/api/v1/knowledge-bases?limit=2&cursor=" + page1.get("nextCursor").asString(),
                "Authorization", bearer), 200);
        assertThat(page2.get("items")).extracting(n -> n.get("name").asString()).containsExactly("First");
        assertThat(page2.has("nextCursor")).isFalse();

        HttpResponse<String> created = http.postJson("/api/v1/knowledge-bases",
                "{\"name\":\"  Front desk \",\"description\":\"Hours and prices\"}", "Authorization", bearer);
        JsonNode kb = ok(created, 201);
        assertThat(kb.get("name").asString()).isEqualTo("Front desk");
        assertThat(kb.get("description").asString()).isEqualTo("Hours and prices");
        assertThat(kb.get("documentCount").asLong()).isZero();

        UUID id = UUID.fromString(kb.get("id").asString());
        ok(upload(http, bearer, id, "a.txt", "text/plain", utf8("First page of the manual.")), 201);
        ok(upload(http, bearer, id, "b.txt", "text/plain", utf8("Second page of the manual.")), 201);
        JsonNode docs1 = ok(http.get("/api/v1/knowledge-bases/" + id + "/documents?limit=1", "Authorization", bearer), 200);
        assertThat(docs1.get("items")).extracting(n -> n.get("name").asString()).containsExactly("b.txt");
        JsonNode docs2 = ok(http.get("/api/v1/knowledge-bases/" + id + "/documents?limit=1&cursor="
                + docs1.get("nextCursor").asString(), "Authorization", bearer), 200);
        assertThat(docs2.get("items")).extracting(n -> n.get("name").asString()).containsExactly("a.txt");
        JsonNode counted = ok(http.get("/api/v1/knowledge-bases/" + id, "Authorization", bearer), 200);
        assertThat(counted.get("documentCount").asLong()).isEqualTo(2);
        assertThat(counted.get("chunkCount").asLong()).isEqualTo(2);
    }

    @Test
    void theApiDescriptionShowsTheUploadAsAMultipartFile() {
        JsonNode upload = Http.json(http.get("/api/docs")).get("paths").get("/api/v1/knowledge-bases/{id}/documents")
                .get("post").get("requestBody").get("content").get("multipart/form-data").get("schema");
        assertThat(upload.toString()).contains("DocumentUpload");
        JsonNode schema = Http.json(http.get("/api/docs")).get("components").get("schemas").get("DocumentUpload");
        assertThat(schema.get("properties").get("file").get("format").asString()).isEqualTo("binary");
    }

    @Test
    void searchValidatesItsInput() {
        UUID org = IdentityTestAccess.organization(context);
        String bearer = admin(org);
        UUID kb = createBase(http, bearer, "Validation");
        expectProblem(search(http, bearer, kb, "hours", 0), 400, "validation_failed");
        expectProblem(search(http, bearer, kb, "hours", 21), 400, "validation_failed");
        expectProblem(search(http, bearer, kb, "  ", 5), 400, "validation_failed");
        expectProblem(search(http, bearer, kb, "x".repeat(KnowledgeSearch.MAX_QUERY_CHARS + 1), 5), 400, "validation_failed");
        assertThat(ok(search(http, bearer, kb, "hours", 20), 200).get("results").size()).isZero();

        KnowledgeSearch service = context.getBean(KnowledgeSearch.class);
        assertThatThrownBy(() -> service.search(org, List.of(kb), "hours", 21)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> service.search(org, List.of(kb), " ", 5)).isInstanceOf(IllegalArgumentException.class);
        ok(upload(http, bearer, kb, "hours.txt", "text/plain", utf8(HOURS)), 201);
        String spoken = "well so um what are your opening hours I mean " + "and so on ".repeat(200);
        assertThat(service.search(org, List.of(kb), spoken, 5).results()).extracting(KnowledgeSearch.Hit::text).contains(HOURS);
    }
}
