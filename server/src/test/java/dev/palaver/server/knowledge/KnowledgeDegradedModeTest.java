package dev.palaver.server.knowledge;

import static dev.palaver.server.knowledge.KnowledgeTesting.createBase;
import static dev.palaver.server.knowledge.KnowledgeTesting.search;
import static dev.palaver.server.knowledge.KnowledgeTesting.upload;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.PalaverApplication;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.TestDatabases;

/**
 * Palaver with an embedder the test can break: searches fall back to keywords and say so, uploads are
 * refused rather than stored without vectors, and zero vectors count as a failure, never as vectors.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = {PalaverApplication.class, KnowledgeDegradedModeTest.BreakableEmbedderConfiguration.class},
        properties = {
                "palaver.token-signing-key=degraded-mode-test-signing-key-8c1f4a2e9b7d",
                "palaver.redis-url=",
                "palaver.rate-limits.auth-per-minute=1000000",
                "palaver.rate-limits.api-per-minute=1000000",
        })
class KnowledgeDegradedModeTest {

    enum Behaviour { WORKING, THROWING, ZERO_VECTORS }

    /** Hashed bag of words: deterministic, and similar texts share dimensions. */
    static final class BreakableEmbedder implements Embedder {
        volatile Behaviour behaviour = Behaviour.WORKING;

        @Override
        public String id() {
            return "test-hashed-words";
        }

        @Override
        public int dimension() {
            return 64;
        }

        @Override
        public float[][] embed(List<String> texts) {
            float[][] out = new float[texts.size()][dimension()];
            switch (behaviour) {
                case THROWING -> throw new IllegalStateException("HTTP 429 from the embedding provider");
                case ZERO_VECTORS -> {
                    return out;
                }
                case WORKING -> {
                    for (int i = 0; i < texts.size(); i++) {
                        for (String word : texts.get(i).toLowerCase(Locale.ROOT).split("\\W+")) {
                            if (!word.isEmpty()) {
                                out[i][Math.floorMod(word.hashCode(), dimension())] += 1;
                            }
                        }
                    }
                    return out;
                }
            }
            throw new AssertionError(behaviour);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class BreakableEmbedderConfiguration {
        @Bean
        @Primary
        BreakableEmbedder breakableEmbedder() {
            return new BreakableEmbedder();
        }
    }

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestDatabases.registerFresh(registry);
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;
    @Autowired
    BreakableEmbedder embedder;
    Http http;

    @BeforeEach
    void open() {
        http = new Http(port);
        embedder.behaviour = Behaviour.WORKING;
    }

    @AfterEach
    void close() {
        http.close();
        embedder.behaviour = Behaviour.WORKING;
    }

    @Test
    void searchFallsBackToKeywordsAndSaysSoWhileTheEmbedderFails() {
        UUID org = IdentityTestAccess.organization(context);
        String bearer = "Bearer " + IdentityTestAccess.adminToken(context, org);
        UUID kb = createBase(http, bearer, "Front desk");
        for (String[] doc : List.of(new String[] {"hours.txt", "We are open Monday to Friday from 9 am to 6 pm."},
                new String[] {"parking.txt", "Parking is free for customers behind the building."})) {
            assertThat(upload(http, bearer, kb, doc[0], "text/plain", doc[1].getBytes(StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(201);
        }
        assertThat(mode(search(http, bearer, kb, "opening hours", 5))).isEqualTo("hybrid");

        for (Behaviour broken : List.of(Behaviour.THROWING, Behaviour.ZERO_VECTORS)) {
            embedder.behaviour = broken;
            HttpResponse<String> response = search(http, bearer, kb, "When are you open on Monday?", 5);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = Http.json(response);
            assertThat(body.get("mode").asString()).as(broken.name()).isEqualTo("keyword");
            assertThat(body.get("degraded").asString()).contains("keyword matches only");
            assertThat(body.get("results").size()).isEqualTo(1);
            JsonNode hit = body.get("results").get(0);
            assertThat(hit.get("text").asString()).isEqualTo("We are open Monday to Friday from 9 am to 6 pm.");
            assertThat(hit.has("similarity")).isFalse();
            // The provider's own failure text stays in the server log, not in the answer (ids and scores may hold any digits).
            assertThat(response.body()).doesNotContain("HTTP 429").doesNotContain("embedding provider");

            // Nothing in common with any chunk but meaning: keywords alone find nothing, and that is the honest answer.
            JsonNode meaningOnly = Http.json(search(http, bearer, kb, "What time do you close?", 5));
            assertThat(meaningOnly.get("mode").asString()).isEqualTo("keyword");
            assertThat(meaningOnly.get("results").size()).isZero();
        }

        embedder.behaviour = Behaviour.WORKING;
        JsonNode recovered = Http.json(search(http, bearer, kb, "When are you open on Monday?", 5));
        assertThat(recovered.get("mode").asString()).isEqualTo("hybrid");
        assertThat(recovered.has("degraded")).isFalse();
        KnowledgeSearch.Result direct = context.getBean(KnowledgeSearch.class).search(org, List.of(kb), "parking", 1);
        assertThat(direct.mode()).isEqualTo(KnowledgeSearch.HYBRID);
        assertThat(direct.results().getFirst().similarity()).isNotNull();
    }

    @Test
    void uploadsAreRefusedWhileTheEmbedderFailsAndNothingIsStored() {
        UUID org = IdentityTestAccess.organization(context);
        String bearer = "Bearer " + IdentityTestAccess.adminToken(context, org);
        UUID kb = createBase(http, bearer, "Refused");

        for (Behaviour broken : List.of(Behaviour.THROWING, Behaviour.ZERO_VECTORS)) {
            embedder.behaviour = broken;
            HttpResponse<String> refused = upload(http, bearer, kb, "hours.txt", "text/plain",
                    "We are open Monday to Friday.".getBytes(StandardCharsets.UTF_8));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(Http.json(refused).get("code").asString()).isEqualTo("service_unavailable");
        }
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        assertThat(jdbc.sql("select count(*) from knowledge_documents where org_id = ?").param(org).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from knowledge_chunks where org_id = ?").param(org).query(Long.class).single()).isZero();

        embedder.behaviour = Behaviour.WORKING;
        assertThat(upload(http, bearer, kb, "hours.txt", "text/plain",
                "We are open Monday to Friday.".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);
    }

    private static String mode(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response).get("mode").asString();
    }
}
