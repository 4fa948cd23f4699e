package dev.palaver.server.brain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

/**
 * Agents that think with a language model (an OpenAI-compatible server on loopback), through test-turns:
 * tools with schema-checked arguments, knowledge in the context, memory written by the model and
 * injected into the next conversation, and flows steered node by node.
 */
class LlmBrainTest extends SharedPalaverContext {

    private FakeChatServer llm;
    private UUID org;
    private String token;

    @BeforeEach
    void organizationWithAModel() throws Exception {
        llm = new FakeChatServer();
        org = IdentityTestAccess.organization(context);
        token = IdentityTestAccess.adminToken(context, org);
        HttpResponse<String> credential = http.send(http.request("/api/v1/provider-credentials/openai")
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"apiKey\": \"sk-test-123456\", \"baseUrl\": \""
                        + llm.baseUrl() + "\"}")));
        assertThat(credential.statusCode()).as(credential.body()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        llm.close();
    }

    private UUID agent(ObjectNode definition) {
        HttpResponse<String> created = http.postJson("/api/v1/agents", definition.toString(), "Authorization",
                "Bearer " + token);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return UUID.fromString(Http.json(created).get("id").asString());
    }

    private static ObjectNode llmAgent(String tools) {
        return (ObjectNode) TestTurnsClient.JSON.readTree("""
                {"name": "Concierge %s", "brain": "llm", "personaPrompt": "You are the concierge of Harbour Hair.",
                 "firstMessage": "Hello, concierge speaking.", "language": "en-US",
                 "providers": {"stt": {"provider": "offline", "fallbacks": []},
                               "llm": {"provider": "openai", "model": "fake-model", "fallbacks": []},
                               "tts": {"provider": "offline", "fallbacks": []}},
                 "tools": %s, "memory": {"enabled": true}}
                """.formatted(UUID.randomUUID(), tools));
    }

    @Test
    void invalidToolArgumentsGoBackToTheModelWhichCorrectsThem() {
        String monday = LocalDate.now(ZoneOffset.UTC).plusDays(1).with(TemporalAdjusters.next(DayOfWeek.MONDAY)).toString();
        llm.then(FakeChatServer.Answer.calls("book_appointment", "{\"name\": \"Dana\", \"date\": \"next monday\"}"))
                .then(request -> {
                    assertThat(FakeChatServer.lastRole(request)).isEqualTo("tool");
                    return FakeChatServer.Answer.calls("book_appointment", "{\"name\": \"Dana\", \"phone\": \"+1 415 555 0177\","
                            + " \"date\": \"" + monday + "\", \"time\": \"10:00\", \"service\": \"haircut\"}");
                })
                .then(FakeChatServer.Answer.says("You're booked for Monday at ten, Dana."));
        TestTurnsClient client = new TestTurnsClient(http, token, agent(llmAgent("[\"book_appointment\"]")));

        JsonNode turn = client.turn(null, "Book me a haircut on Monday at ten, I'm Dana, +1 415 555 0177.", null);

        assertThat(turn.get("reply").asString()).isEqualTo("You're booked for Monday at ten, Dana.");
        assertThat(turn.has("node")).as("only flow agents have nodes").isFalse();
        assertThat(TestTurnsClient.toolNames(turn)).containsExactly("book_appointment!", "book_appointment");
        String refusal = turn.get("toolCalls").get(0).get("result").asString();
        assertThat(refusal).contains("$.time: is required").contains("$.date: must be a date");
        List<JsonNode> requests = llm.requests();
        assertThat(FakeChatServer.said(requests.get(1))).contains("$.time: is required");
        assertThat(FakeChatServer.toolNames(requests.getFirst())).containsExactly("book_appointment");
        assertThat(FakeChatServer.said(requests.getFirst())).contains("You are the concierge of Harbour Hair.")
                .contains("Today is");
        HttpResponse<String> appointments = http.get("/api/v1/appointments", "Authorization", "Bearer " + token);
        JsonNode items = Http.json(appointments).get("items");
        assertThat(items.size()).isEqualTo(1);
        assertThat(items.get(0).get("service").asString()).isEqualTo("haircut");
        assertThat(items.get(0).get("startsAt").asString()).isEqualTo(monday + "T10:00:00Z");
    }

    @Test
    void knowledgeMatchingTheCallersWordsIsPutIntoTheContext() {
        UUID kb = context.getBean(dev.palaver.server.knowledge.KnowledgeBases.class)
                .create(org, null, "Salon " + UUID.randomUUID(), "").id();
        context.getBean(dev.palaver.server.knowledge.KnowledgeBases.class).addDocument(org, null, kb, "hours.txt",
                "text/plain", "We are open Monday to Saturday from 9 am to 6 pm.".getBytes());
        ObjectNode definition = llmAgent("[\"knowledge_search\"]");
        definition.putArray("knowledgeBaseIds").add(kb.toString());
        llm.then(FakeChatServer.Answer.says("We open at nine."));
        TestTurnsClient client = new TestTurnsClient(http, token, agent(definition));

        client.turn(null, "When do you open on Saturday?", null);

        String told = FakeChatServer.said(llm.requests().getFirst());
        assertThat(told).contains("Passages from the organization's knowledge")
                .contains("[hours.txt] We are open Monday to Saturday from 9 am to 6 pm.");
        assertThat(told.indexOf("Passages")).isLessThan(told.indexOf("user: When do you open on Saturday?"));
    }

    @Test
    void theModelWritesTheCallersMemoryWhichTheNextConversationStartsFrom() {
        String caller = "+14155550188";
        llm.then(FakeChatServer.Answer.says("Sam is free on Friday."))
                .then(request -> {
                    assertThat(FakeChatServer.said(request)).contains("You keep a short memory of a caller")
                            .contains("Caller: I'm Dana and I always want Sam as my stylist.");
                    return FakeChatServer.Answer.says("{\"facts\": {\"name\": \"Dana\", \"favourite_stylist\": \"Sam\"},"
                            + " \"summary\": \"Asked when Sam is free.\"}");
                })
                .then(FakeChatServer.Answer.says("Hello again."))
                .then(FakeChatServer.Answer.says("Goodbye."));
        TestTurnsClient client = new TestTurnsClient(http, token, agent(llmAgent("[]")));

        JsonNode first = client.turn(null, "I'm Dana and I always want Sam as my stylist.", caller);
        client.end(first.get("sessionId").asString());

        JsonNode memory = Http.json(http.get("/api/v1/memories/" + caller, "Authorization", "Bearer " + token));
        assertThat(memory.get("facts").get("favourite_stylist").asString()).isEqualTo("Sam");
        assertThat(memory.get("summary").asString()).endsWith(": Asked when Sam is free.");

        JsonNode second = client.turn(null, "Hi!", caller);
        JsonNode third = client.turn(second.get("sessionId").asString(), "Bye!", caller);
        assertThat(third.has("greeting")).as("the greeting comes with the first turn only").isFalse();
        assertThat(second.get("greeting").asString()).isEqualTo("Welcome back, Dana! Hello, concierge speaking.");
        assertThat(FakeChatServer.said(llm.requests().get(2))).contains("- favourite stylist: Sam")
                .contains("Asked when Sam is free.");
    }

    @Test
    void aFlowWithAModelIsSteeredNodeByNode() {
        ObjectNode definition = (ObjectNode) TestTurnsClient.JSON.readTree("""
                {"name": "Steered %s", "brain": "flow", "firstMessage": "Hello.", "language": "en-US",
                 "providers": {"stt": {"provider": "offline", "fallbacks": []},
                               "llm": {"provider": "openai", "fallbacks": []},
                               "tts": {"provider": "offline", "fallbacks": []}},
                 "tools": ["book_appointment", "end_call"],
                 "flow": {"startNode": "menu", "nodes": [
                   {"id": "menu", "instructions": "Find out what the caller wants.",
                    "transitions": [{"target": "booking", "examples": ["I'd like to book"]}]},
                   {"id": "booking", "instructions": "Collect the day and time, then book.",
                    "slots": [{"name": "date", "type": "date", "prompt": "Which day?"}],
                    "functions": ["book_appointment"],
                    "transitions": [{"target": "menu", "condition": "always"}]}]}}
                """.formatted(UUID.randomUUID()));
        llm.then(request -> {
            assertThat(FakeChatServer.said(request)).contains("step \"menu\"").contains("Find out what the caller wants.");
            assertThat(FakeChatServer.toolNames(request)).containsExactly("go_to_step");
            return FakeChatServer.Answer.calls("go_to_step", "{\"step\": \"booking\"}");
        }).then(request -> {
            assertThat(FakeChatServer.said(request)).contains("step \"booking\"").contains("Which day?");
            assertThat(FakeChatServer.toolNames(request)).containsExactly("book_appointment", "go_to_step");
            return FakeChatServer.Answer.says("Sure, which day would you like?");
        });
        TestTurnsClient client = new TestTurnsClient(http, token, agent(definition));

        JsonNode turn = client.turn(null, "I want to book an appointment", null);

        assertThat(turn.get("reply").asString()).isEqualTo("Sure, which day would you like?");
        assertThat(turn.get("node").asString()).isEqualTo("booking");
        assertThat(turn.get("toolCalls").size()).isZero();
    }
}
