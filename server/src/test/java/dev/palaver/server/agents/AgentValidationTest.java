package dev.palaver.server.agents;

import static dev.palaver.server.agents.AgentFixtures.append;
import static dev.palaver.server.agents.AgentFixtures.flowAgent;
import static dev.palaver.server.agents.AgentFixtures.llmAgent;
import static dev.palaver.server.agents.AgentFixtures.remove;
import static dev.palaver.server.agents.AgentFixtures.set;
import static dev.palaver.server.agents.AgentFixtures.setJson;
import static dev.palaver.server.agents.AgentFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

/**
 * Every rule of an agent definition, over HTTP: each invalid body gets 400 {@code validation_failed} with
 * exactly one error, at the exact path, saying why; each valid edge case is accepted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentValidationTest extends SharedPalaverContext {

    private String admin;

    @BeforeAll
    void organization() {
        UUID org = IdentityTestAccess.organization(context);
        admin = IdentityTestAccess.adminToken(context, org);
    }

    record Invalid(String rule, UnaryOperator<ObjectNode> edit, boolean flow, String field, String message) {
        @Override
        public String toString() {
            return rule;
        }
    }

    private static Invalid llm(String rule, UnaryOperator<ObjectNode> edit, String field, String message) {
        return new Invalid(rule, edit, false, field, message);
    }

    private static Invalid flow(String rule, UnaryOperator<ObjectNode> edit, String field, String message) {
        return new Invalid(rule, edit, true, field, message);
    }

    static Stream<Invalid> invalid() {
        return Stream.of(
                // the agent
                llm("name is required", a -> remove(a, "name"), "name", "is required"),
                llm("name is not blank", a -> set(a, "name", "   "), "name", "must not be blank"),
                llm("name is at most 100 characters", a -> set(a, "name", "n".repeat(101)), "name", "at most 100 characters"),
                llm("name has no control characters", a -> set(a, "name", "bell\u0007"), "name", "control characters"),
                llm("brain is required", a -> remove(a, "brain"), "brain", "is required"),
                llm("brain is a string", a -> set(a, "brain", 5), "brain", "must be one of: llm, flow"),
                llm("brain is llm or flow", a -> set(a, "brain", "robot"), "brain", "must be one of: llm, flow"),
                llm("brain is lower case", a -> set(a, "brain", "LLM"), "brain", "must be one of: llm, flow"),
                llm("personaPrompt is required for llm", a -> remove(a, "personaPrompt"), "personaPrompt", "is required when brain is llm"),
                llm("personaPrompt is at most 20,000 characters", a -> set(a, "personaPrompt", "p".repeat(20_001)), "personaPrompt", "at most 20000 characters"),
                llm("personaPrompt is a string", a -> set(a, "personaPrompt", List.of("x")), "personaPrompt", "must be a string"),
                llm("firstMessage is at most 1,000 characters", a -> set(a, "firstMessage", "f".repeat(1_001)), "firstMessage", "at most 1000 characters"),
                llm("language is BCP 47", a -> set(a, "language", "english"), "language", "BCP 47"),
                llm("language is a string", a -> set(a, "language", 5), "language", "must be a string"),
                llm("voice is not blank", a -> set(a, "voice", ""), "voice", "must not be blank"),
                llm("enabled is a boolean", a -> set(a, "enabled", "true"), "enabled", "must be true or false"),
                llm("unknown fields are refused", a -> set(a, "persona", "typo"), "persona", "is not a known field"),
                llm("flow only with a flow brain", a -> set(a, "flow", flowAgent("x").get("flow")), "flow", "applies only when brain is flow"),
                // providers
                llm("an llm brain needs an LLM", a -> remove(a, "providers.llm"), "providers.llm", "is required when brain is llm"),
                llm("providers is an object", a -> set(a, "providers", "openai"), "providers", "must be an object"),
                llm("a chain is an object", a -> set(a, "providers.tts", "offline"), "providers.tts", "must be an object"),
                llm("provider is required", a -> remove(a, "providers.stt.provider"), "providers.stt.provider", "is required"),
                llm("providers are known", a -> set(a, "providers.llm.provider", "acme"), "providers.llm.provider", "must be one of: offline, openai, anthropic, groq, deepgram, elevenlabs"),
                llm("anthropic offers no TTS", a -> set(a, "providers.tts.provider", "anthropic"), "providers.tts.provider", "anthropic does not offer tts"),
                llm("elevenlabs offers no STT", a -> set(a, "providers.stt.provider", "elevenlabs"), "providers.stt.provider", "elevenlabs does not offer stt"),
                llm("offline offers no LLM", a -> set(a, "providers.llm.provider", "offline"), "providers.llm.provider", "offline does not offer llm; choose one of: openai, anthropic, groq"),
                llm("fallbacks are checked per kind", a -> set(a, "providers.llm.fallbacks[0].provider", "deepgram"), "providers.llm.fallbacks[0].provider", "deepgram does not offer llm"),
                llm("at most 3 fallbacks", a -> setJson(a, "providers.tts.fallbacks", "[{\"provider\":\"offline\"},{\"provider\":\"openai\"},{\"provider\":\"deepgram\"},{\"provider\":\"elevenlabs\",\"voice\":\"x\"}]"), "providers.tts.fallbacks", "at most 3 items"),
                llm("a fallback does not repeat a choice", a -> setJson(a, "providers.llm.fallbacks[0]", "{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}"), "providers.llm.fallbacks[0]", "repeats an earlier choice"),
                llm("only TTS has a voice", a -> set(a, "providers.llm.voice", "alloy"), "providers.llm.voice", "applies to tts only"),
                llm("model names are plain", a -> set(a, "providers.llm.model", "gpt 4o"), "providers.llm.model", "may contain only"),
                llm("unknown provider fields are refused", a -> set(a, "providers.tts.speed", 1.2), "providers.tts.speed", "is not a known field"),
                // turn-taking and limits
                llm("endpointing delay has a floor", a -> set(a, "endpointing.delayMs", 50), "endpointing.delayMs", "between 100 and 5000"),
                llm("endpointing delay is an integer, not a string", a -> set(a, "endpointing.delayMs", "500"), "endpointing.delayMs", "must be an integer"),
                llm("endpointing delay is a whole number", a -> set(a, "endpointing.delayMs", 500.5), "endpointing.delayMs", "must be an integer"),
                llm("endpointing delay fits in an int", a -> set(a, "endpointing.delayMs", 99_999_999_999L), "endpointing.delayMs", "between 100 and 5000"),
                llm("interruption threshold has a floor", a -> set(a, "interruption.thresholdMs", 10), "interruption.thresholdMs", "between 50 and 5000"),
                llm("backchannels is a boolean", a -> set(a, "interruption.backchannels", "yes"), "interruption.backchannels", "must be true or false"),
                llm("falseInterruption is resume, repeat or listen", a -> set(a, "interruption.falseInterruption", "ignore"), "interruption.falseInterruption", "must be one of: resume, repeat, listen"),
                llm("memory.enabled is a boolean", a -> set(a, "memory.enabled", "on"), "memory.enabled", "must be true or false"),
                llm("maximum duration has a floor", a -> set(a, "limits.maxDurationSeconds", 5), "limits.maxDurationSeconds", "between 10 and 14400"),
                llm("maximum duration has a ceiling", a -> set(a, "limits.maxDurationSeconds", 14_401), "limits.maxDurationSeconds", "between 10 and 14400"),
                llm("silence timeout has a floor", a -> set(a, "limits.silenceTimeoutSeconds", 1), "limits.silenceTimeoutSeconds", "between 2 and 300"),
                llm("silence timeout is shorter than the call", a -> setJson(a, "limits", "{\"maxDurationSeconds\":60,\"silenceTimeoutSeconds\":100}"), "limits.silenceTimeoutSeconds", "must be less than maxDurationSeconds"),
                // tools and knowledge
                llm("tools are an array", a -> set(a, "tools", "knowledge_search"), "tools", "must be an array"),
                llm("tools are built in", a -> set(a, "tools[1]", "launch_rockets"), "tools[1]", "is not a built-in tool"),
                llm("tools are strings", a -> set(a, "tools[0]", 5), "tools[0]", "must be a string"),
                llm("tools are listed once", a -> set(a, "tools[1]", "knowledge_search"), "tools[1]", "is listed twice"),
                llm("HTTP tools do not take built-in names", a -> set(a, "httpTools[0].name", "end_call"), "httpTools[0].name", "is the name of a built-in tool"),
                llm("HTTP tool names are identifiers", a -> set(a, "httpTools[0].name", "1 order"), "httpTools[0].name", "must start with a letter"),
                llm("HTTP tool names are unique", a -> append(a, "httpTools", a.get("httpTools").get(0).toString()), "httpTools[1].name", "is used by another HTTP tool"),
                llm("HTTP tool URLs are http(s)", a -> set(a, "httpTools[0].url", "ftp://files.example.test/x"), "httpTools[0].url", "absolute http or https URL"),
                llm("HTTP tool URLs are absolute", a -> set(a, "httpTools[0].url", "/orders"), "httpTools[0].url", "absolute http or https URL"),
                llm("HTTP tool URLs hold no credentials", a -> set(a, "httpTools[0].url", "https://user:secret@hooks.example.test/x"), "httpTools[0].url", "must not contain credentials"),
                llm("HTTP tools need a schema", a -> remove(a, "httpTools[0].schema"), "httpTools[0].schema", "is required"),
                llm("a schema is an object", a -> set(a, "httpTools[0].schema", "order_id"), "httpTools[0].schema", "must be a JSON Schema object"),
                llm("a schema is of an object", a -> set(a, "httpTools[0].schema.type", "string"), "httpTools[0].schema.type", "must be \"object\""),
                llm("schema properties are schemas", a -> set(a, "httpTools[0].schema.properties.order_id", 5), "httpTools[0].schema.properties.order_id", "must be a JSON Schema object"),
                llm("schema required names properties", a -> set(a, "httpTools[0].schema.required[0]", "order"), "httpTools[0].schema.required[0]", "names no property in properties"),
                llm("unknown HTTP tool fields are refused", a -> set(a, "httpTools[0].secret", "s"), "httpTools[0].secret", "is not a known field"),
                llm("knowledge base ids are UUIDs", a -> set(a, "knowledgeBaseIds[0]", "kb-1"), "knowledgeBaseIds[0]", "must be a UUID"),
                llm("knowledge base ids are listed once", a -> append(a, "knowledgeBaseIds", "\"" + AgentFixtures.KNOWLEDGE_BASE + "\""), "knowledgeBaseIds[1]", "is listed twice"),
                // the flow
                flow("a flow brain needs a flow", a -> remove(a, "flow"), "flow", "is required when brain is flow"),
                flow("a flow is an object", a -> set(a, "flow", "greet"), "flow", "must be an object"),
                flow("startNode names a node", a -> set(a, "flow.startNode", "welcome"), "flow.startNode", "names no node of this flow: 'welcome'"),
                flow("a flow has nodes", a -> setJson(a, "flow.nodes", "[]"), "flow.nodes", "must have at least one node"),
                flow("at most 100 nodes", a -> set(a, "flow.nodes", chain(101)), "flow.nodes", "at most 100 items"),
                flow("transition targets exist", a -> set(a, "flow.nodes[2].transitions[0].target", "checkout"), "flow.nodes[2].transitions[0].target", "names no node of this flow: 'checkout'"),
                flow("every node is reachable", a -> append(a, "flow.nodes", "{\"id\":\"orphan\",\"instructions\":\"x\",\"end\":true}"), "flow.nodes[4]", "is not reachable from startNode 'greet'"),
                flow("every node can finish", a -> append(append(a, "flow.nodes[1].transitions", "{\"target\":\"stuck\",\"examples\":[\"hold on\"]}"),
                        "flow.nodes", "{\"id\":\"stuck\",\"instructions\":\"Wait.\"}"), "flow.nodes[4]", "leads neither to an end node nor back to startNode"),
                flow("node ids are unique", a -> append(a, "flow.nodes", "{\"id\":\"greet\",\"instructions\":\"x\",\"end\":true}"), "flow.nodes[4].id", "duplicates the id of flow.nodes[0]"),
                flow("node ids are plain", a -> append(a, "flow.nodes", "{\"id\":\"bad id\",\"instructions\":\"x\",\"end\":true}"), "flow.nodes[4].id", "may contain only letters"),
                flow("nodes have instructions", a -> remove(a, "flow.nodes[0].instructions"), "flow.nodes[0].instructions", "is required"),
                flow("instructions are at most 4,000 characters", a -> set(a, "flow.nodes[0].instructions", "i".repeat(4_001)), "flow.nodes[0].instructions", "at most 4000 characters"),
                flow("unknown node fields are refused", a -> set(a, "flow.nodes[0].say", "hi"), "flow.nodes[0].say", "is not a known field"),
                flow("end is a boolean", a -> set(a, "flow.nodes[3].end", "yes"), "flow.nodes[3].end", "must be true or false"),
                flow("an end node has no transitions", a -> setJson(a, "flow.nodes[3].transitions", "[{\"target\":\"greet\",\"examples\":[\"one more thing\"]}]"), "flow.nodes[3].transitions", "must be empty on an end node"),
                flow("functions are known tools", a -> set(a, "flow.nodes[1].functions[0]", "launch_rockets"), "flow.nodes[1].functions[0]", "is not a known tool"),
                flow("a bad tool list is reported once, not again in functions", a -> set(a, "tools[0]", "launch_rockets"), "tools[0]", "is not a built-in tool"),
                flow("functions are the agent's tools", a -> set(a, "flow.nodes[1].functions[0]", "cancel_appointment"), "flow.nodes[1].functions[0]", "is not one of this agent's tools; add it to tools"),
                flow("reply placeholders are slots", a -> set(a, "flow.nodes[3].reply", "See you on {day}."), "flow.nodes[3].reply", "refers to {day}, which is not a slot of this flow"),
                flow("reply braces are closed", a -> set(a, "flow.nodes[3].reply", "See you on {date."), "flow.nodes[3].reply", "without a closing '}'"),
                flow("reply braces are opened", a -> set(a, "flow.nodes[3].reply", "See you on date}."), "flow.nodes[3].reply", "without an opening '{'"),
                flow("slot names are unique in a node", a -> append(a, "flow.nodes[2].slots", "{\"name\":\"date\",\"type\":\"date\",\"prompt\":\"Again?\"}"), "flow.nodes[2].slots[2].name", "is used by another slot of this node"),
                flow("slot names are identifiers", a -> append(a, "flow.nodes[2].slots", "{\"name\":\"Party Size\",\"type\":\"number\",\"prompt\":\"How many?\"}"), "flow.nodes[2].slots[2].name", "must start with a lower-case letter"),
                flow("slot types are known", a -> append(a, "flow.nodes[2].slots", "{\"name\":\"when\",\"type\":\"datetime\",\"prompt\":\"When?\"}"), "flow.nodes[2].slots[2].type", "must be one of: date, time, phone, name, number, text"),
                flow("a slot name has one type in a flow", a -> setJson(a, "flow.nodes[3].slots", "[{\"name\":\"date\",\"type\":\"text\",\"required\":false}]"), "flow.nodes[3].slots[0].type", "slot 'date' is a date in flow.nodes[2]"),
                flow("required slots have a prompt", a -> remove(a, "flow.nodes[2].slots[0].prompt"), "flow.nodes[2].slots[0].prompt", "is required for a required slot"),
                flow("transitions have examples or a condition", a -> remove(a, "flow.nodes[0].transitions[0].examples"), "flow.nodes[0].transitions[0]", "needs examples (phrases that lead here) or a condition"),
                flow("transitions have not both", a -> set(a, "flow.nodes[0].transitions[0].condition", "always"), "flow.nodes[0].transitions[0].condition", "cannot be combined with examples"),
                flow("conditions are known", a -> set(a, "flow.nodes[2].transitions[0].condition", "sometimes"), "flow.nodes[2].transitions[0].condition", "must be one of: slots_filled, always"),
                flow("slots_filled needs required slots", a -> setJson(a, "flow.nodes[0].transitions[0]", "{\"target\":\"answer\",\"condition\":\"slots_filled\"}"), "flow.nodes[0].transitions[0].condition", "slots_filled needs a required slot in this node"),
                flow("examples are not blank", a -> set(a, "flow.nodes[0].transitions[0].examples[0]", "  "), "flow.nodes[0].transitions[0].examples[0]", "must not be blank"),
                flow("examples are at most 200 characters", a -> set(a, "flow.nodes[0].transitions[0].examples[0]", "e".repeat(201)), "flow.nodes[0].transitions[0].examples[0]", "at most 200 characters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusedWithOneErrorAtTheExactPath(Invalid c) {
        ObjectNode body = c.edit().apply(c.flow() ? flowAgent(unique("Flow")) : llmAgent(unique("Agent")));

        HttpResponse<String> r = AgentFixtures.post(http, admin, body.toString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode problem = Http.json(r);
        assertThat(problem.get("code").asString()).isEqualTo("validation_failed");
        assertThat(problem.get("errors")).as(r.body()).hasSize(1);
        assertThat(problem.get("errors").get(0).get("field").asString()).as(r.body()).isEqualTo(c.field());
        assertThat(problem.get("errors").get(0).get("message").asString()).as(r.body()).contains(c.message());
    }

    record Valid(String rule, UnaryOperator<ObjectNode> edit, boolean flow) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Valid> valid() {
        return Stream.of(
                new Valid("a prompt of exactly 20,000 characters", a -> set(a, "personaPrompt", "p".repeat(20_000)), false),
                new Valid("a name of 100 characters, any script", a -> set(a, "name", "名".repeat(92) + UUID.randomUUID().toString().substring(0, 8)), false),
                new Valid("no fallbacks, no tools, no knowledge", a -> {
                    remove(a, "providers.llm.fallbacks");
                    remove(a, "tools");
                    remove(a, "httpTools");
                    return remove(a, "knowledgeBaseIds");
                }, false),
                new Valid("offline speech as an LLM agent's last resort", a -> setJson(a, "providers.stt.fallbacks", "[{\"provider\":\"offline\"}]"), false),
                new Valid("the same provider with another model as fallback", a -> setJson(a, "providers.llm.fallbacks[0]", "{\"provider\":\"openai\",\"model\":\"gpt-4o\"}"), false),
                new Valid("a flow with an LLM", a -> setJson(a, "providers", "{\"llm\":{\"provider\":\"groq\",\"model\":\"llama-3.1-8b-instant\"}}"), true),
                new Valid("exactly 100 nodes", a -> set(a, "flow.nodes", chain(100)), true),
                new Valid("a single node that stays where it is", a -> setJson(a, "flow", "{\"startNode\":\"qa\",\"nodes\":[{\"id\":\"qa\",\"instructions\":\"Answer questions.\",\"functions\":[\"knowledge_search\"]}]}"), true),
                new Valid("a cycle back to start with no end node", a -> setJson(a, "flow", """
                        {"startNode": "a", "nodes": [
                          {"id": "a", "instructions": "A", "transitions": [{"target": "b", "examples": ["go on"]}]},
                          {"id": "b", "instructions": "B", "transitions": [{"target": "a", "condition": "always"}]}]}"""), true),
                new Valid("a node offering end_call finishes a conversation", a -> {
                    remove(a, "flow.nodes[3].end");
                    return setJson(a, "flow.nodes[3].functions", "[\"end_call\"]");
                }, true),
                new Valid("functions may be the agent's HTTP tools", a -> {
                    setJson(a, "httpTools", "[{\"name\":\"crm_lookup\",\"url\":\"http://crm.example.test/lookup\",\"schema\":{\"type\":\"object\"}}]");
                    return setJson(a, "flow.nodes[1].functions", "[\"knowledge_search\",\"crm_lookup\"]");
                }, true),
                new Valid("optional slots need no prompt", a -> setJson(a, "flow.nodes[2].slots[1]", "{\"name\":\"time\",\"type\":\"time\",\"required\":false}"), true),
                new Valid("read-only fields sent back are ignored", a -> {
                    set(a, "id", UUID.randomUUID().toString());
                    set(a, "version", 7);
                    set(a, "createdAt", "2020-01-01T00:00:00Z");
                    return set(a, "updatedAt", "2020-01-01T00:00:00Z");
                }, true),
                new Valid("null means absent", a -> {
                    a.putNull("voice");
                    a.putNull("memory");
                    return a;
                }, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void accepted(Valid c) {
        ObjectNode body = c.edit().apply(c.flow() ? flowAgent(unique("Flow")) : llmAgent(unique("Agent")));

        HttpResponse<String> r = AgentFixtures.post(http, admin, body.toString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** n nodes in a line, the last one an end node. */
    private static JsonNode chain(int n) {
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(i == 0 ? "{\"id\":\"greet\",\"instructions\":\"Start.\",\"transitions\":[{\"target\":\"n1\",\"examples\":[\"next\"]}]}"
                    : i == n - 1 ? "{\"id\":\"n" + i + "\",\"instructions\":\"Last.\",\"end\":true}"
                    : "{\"id\":\"n" + i + "\",\"instructions\":\"Step.\",\"transitions\":[{\"target\":\"n" + (i + 1) + "\",\"condition\":\"always\"}]}");
        }
        return AgentFixtures.JSON.readTree("[" + String.join(",", nodes) + "]");
    }
}
