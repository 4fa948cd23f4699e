package dev.palaver.server.brain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.PalaverApplication;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.knowledge.Embedder;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.TestDatabases;

/**
 * The brain when things are not ideal: the embedding model fails (flows fall back to word overlap, the
 * knowledge tool says its answer is degraded), and an operator who allows loopback addresses for HTTP
 * tools (as this test does) gets agents that call a tool on this machine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = {PalaverApplication.class, BrainFallbacksTest.BreakableEmbedderConfiguration.class},
        properties = {
                "palaver.token-signing-key=brain-fallbacks-test-signing-key-3e9a7c1d5b",
                "palaver.redis-url=",
                "palaver.rate-limits.auth-per-minute=1000000",
                "palaver.rate-limits.api-per-minute=1000000",
                "palaver.brain.http-tools.allow-private-addresses=true",
        })
class BrainFallbacksTest {

    /** MiniLM, until the test breaks it. */
    static final class BreakableEmbedder implements Embedder {
        private final Embedder miniLm;
        volatile boolean broken;

        BreakableEmbedder(Embedder miniLm) {
            this.miniLm = miniLm;
        }

        @Override
        public String id() {
            return miniLm.id();
        }

        @Override
        public int dimension() {
            return miniLm.dimension();
        }

        @Override
        public float[][] embed(List<String> texts) {
            if (broken) {
                throw new IllegalStateException("HTTP 429 from the embedding provider");
            }
            return miniLm.embed(texts);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class BreakableEmbedderConfiguration {
        @Bean
        @Primary
        BreakableEmbedder breakableEmbedder(@Qualifier("miniLmEmbedder") Embedder miniLm) {
            return new BreakableEmbedder(miniLm);
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
        embedder.broken = false;
    }

    @AfterEach
    void close() {
        http.close();
        embedder.broken = false;
    }

    @Test
    void withoutEmbeddingsTheFrontDeskStillAnswersAndSaysTheSearchWasDegraded() {
        UUID org = IdentityTestAccess.organization(context);
        UUID agent = context.getBean(FrontDesk.class).create(org);
        TestTurnsClient client = new TestTurnsClient(http, IdentityTestAccess.adminToken(context, org), agent);
        embedder.broken = true;

        JsonNode turn = client.turn(null, "What are your opening hours?", null);

        assertThat(turn.get("reply").asString()).contains("Monday to Saturday from 9 am to 6 pm");
        JsonNode search = turn.get("toolCalls").get(0);
        assertThat(search.get("name").asString()).isEqualTo("knowledge_search");
        JsonNode result = TestTurnsClient.JSON.readTree(search.get("result").asString());
        assertThat(result.get("degraded").asBoolean()).isTrue();
        assertThat(result.get("mode").asString()).isEqualTo("keyword");
        assertThat(result.get("note").asString()).contains("keyword matches only");
    }

    @Test
    void anAgentCallsItsHttpToolOnLoopbackWhenTheOperatorAllowsIt() throws Exception {
        UUID org = IdentityTestAccess.organization(context);
        String token = IdentityTestAccess.adminToken(context, org);
        try (FakeChatServer llm = new FakeChatServer(); ToolEndpoint tool = new ToolEndpoint()) {
            for (String[] credential : new String[][] {{"openai", "{\"apiKey\": \"sk-test-123456\", \"baseUrl\": \""
                    + llm.baseUrl() + "\"}"}, {"http-tools", "{\"apiKey\": \"tool-secret\"}"}}) {
                HttpResponse<String> r = http.send(http.request("/api/v1/provider-credentials/" + credential[0])
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(credential[1])));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            HttpResponse<String> created = http.postJson("/api/v1/agents", """
                    {"name": "Orders", "brain": "llm", "personaPrompt": "You help with orders.", "language": "en-US",
                     "providers": {"stt": {"provider": "offline", "fallbacks": []},
                                   "llm": {"provider": "openai", "fallbacks": []},
                                   "tts": {"provider": "offline", "fallbacks": []}},
                     "httpTools": [{"name": "lookup_order", "description": "Looks up an order.", "url": "%s",
                                    "schema": {"type": "object", "properties": {"order_id": {"type": "string"}},
                                               "required": ["order_id"]}}]}
                    """.formatted(tool.url("/orders")), "Authorization", "Bearer " + token);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            UUID agent = UUID.fromString(Http.json(created).get("id").asString());
            llm.then(FakeChatServer.Answer.calls("lookup_order", "{\"order_id\": \"1234\"}"))
                    .then(request -> FakeChatServer.Answer.says(FakeChatServer.said(request).contains("shipped")
                            ? "Your order has shipped." : "I could not look it up."));

            JsonNode turn = new TestTurnsClient(http, token, agent).turn(null, "Where is order 1234?", null);

            assertThat(turn.get("reply").asString()).isEqualTo("Your order has shipped.");
            assertThat(tool.received()).hasSize(1);
            assertThat(tool.received().getFirst().header("X-Palaver-Signature")).startsWith("sha256=");
        }
    }
}
