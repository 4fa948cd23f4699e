package dev.palaver.server.agents;

import static dev.palaver.server.agents.AgentFixtures.create;
import static dev.palaver.server.agents.AgentFixtures.delete;
import static dev.palaver.server.agents.AgentFixtures.flowAgent;
import static dev.palaver.server.agents.AgentFixtures.get;
import static dev.palaver.server.agents.AgentFixtures.llmAgent;
import static dev.palaver.server.agents.AgentFixtures.post;
import static dev.palaver.server.agents.AgentFixtures.put;
import static dev.palaver.server.agents.AgentFixtures.set;
import static dev.palaver.server.agents.AgentFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

class AgentsApiTest extends SharedPalaverContext {

    private JdbcClient jdbc() {
        return context.getBean(JdbcClient.class);
    }

    private AgentDefinitions definitions() {
        return context.getBean(AgentDefinitions.class);
    }

    @Test
    void aCreatedAgentReadsBackAsItWasSentWithItsVersionAsEntityTag() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        ObjectNode sent = llmAgent(unique("Support"));

        HttpResponse<String> created = post(http, admin, sent.toString());

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Http.json(created).get("id").asString();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/agents/" + id);
        assertThat(created.headers().firstValue("ETag")).hasValue("\"1\"");
        HttpResponse<String> read = get(http, admin, "/api/v1/agents/" + id);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("ETag")).hasValue("\"1\"");
        JsonNode body = Http.json(read);
        assertThat(body.get("version").asInt()).isEqualTo(1);
        assertThat(body.get("createdAt").asString()).isNotBlank();
        ObjectNode definition = ((ObjectNode) body).deepCopy();
        definition.remove(List.of("id", "version", "createdAt", "updatedAt"));
        assertThat(definition).isEqualTo(sent);
        assertThat(Http.json(created)).isEqualTo(body);
    }

    @Test
    void absentFieldsGetTheirDefaultsAndTheLanguageTagIsCanonical() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        ObjectNode minimal = (ObjectNode) AgentFixtures.JSON.readTree("""
                {"name": "Minimal", "brain": "flow", "language": "pt-br",
                 "flow": {"startNode": "hi", "nodes": [{"id": "hi", "instructions": "Say hello.", "reply": "Hello!", "end": true}]}}""");

        JsonNode agent = Http.json(post(http, admin, minimal.toString()));

        assertThat(agent.get("language").asString()).isEqualTo("pt-BR");
        assertThat(agent.get("personaPrompt").asString()).isEmpty();
        assertThat(agent.get("firstMessage").asString()).isEmpty();
        assertThat(agent.has("voice")).isFalse();
        assertThat(agent.get("providers")).isEqualTo(AgentFixtures.JSON.readTree(
                "{\"stt\":{\"provider\":\"offline\",\"fallbacks\":[]},\"tts\":{\"provider\":\"offline\",\"fallbacks\":[]}}"));
        assertThat(agent.get("endpointing").get("delayMs").asInt()).isEqualTo(500);
        assertThat(agent.get("interruption")).isEqualTo(AgentFixtures.JSON.readTree(
                "{\"thresholdMs\":400,\"backchannels\":true,\"falseInterruption\":\"resume\"}"));
        assertThat(agent.get("tools")).isEmpty();
        assertThat(agent.get("httpTools")).isEmpty();
        assertThat(agent.get("knowledgeBaseIds")).isEmpty();
        assertThat(agent.get("memory").get("enabled").asBoolean()).isFalse();
        assertThat(agent.get("limits")).isEqualTo(AgentFixtures.JSON.readTree(
                "{\"maxDurationSeconds\":1800,\"silenceTimeoutSeconds\":8}"));
        assertThat(agent.get("enabled").asBoolean()).isTrue();
        JsonNode node = agent.get("flow").get("nodes").get(0);
        assertThat(node.get("slots")).isEmpty();
        assertThat(node.get("functions")).isEmpty();
        assertThat(node.get("transitions")).isEmpty();
    }

    @Test
    void whatGetAnswersCanBeSentBackAsIs() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        for (ObjectNode agent : List.of(flowAgent(unique("Round trip")), llmAgent(unique("Round trip")))) {
            String id = create(http, admin, agent);
            HttpResponse<String> read = get(http, admin, "/api/v1/agents/" + id);

            HttpResponse<String> saved = put(http, admin, id, read.body(), "If-Match", read.headers().firstValue("ETag").orElseThrow());

            assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
            ObjectNode before = (ObjectNode) Http.json(read);
            ObjectNode after = (ObjectNode) Http.json(saved);
            for (ObjectNode o : List.of(before, after)) {
                o.remove(List.of("version", "updatedAt"));
            }
            assertThat(after).isEqualTo(before);
        }
    }

    @Test
    void theListIsPaginatedNewestFirstAndShowsSummaries() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        String viewer = IdentityTestAccess.tokenFor(context, org, Role.VIEWER);
        String first = create(http, admin, llmAgent("Alpha"));
        String second = create(http, admin, flowAgent("Bravo"));
        String third = create(http, admin, set(llmAgent("Charlie"), "enabled", false));

        JsonNode page1 = Http.json(get(http, viewer, "/api/v1/agents?limit=2"));
        assertThat(ids(page1)).containsExactly(third, second);
        assertThat(page1.get("nextCursor").asString()).isNotBlank();
        JsonNode page2 = Http.json(get(http, viewer, "/api/v1/agents?limit=2&cursor=" + page1.get("nextCursor").asString()));
        assertThat(ids(page2)).containsExactly(first);
        assertThat(page2.has("nextCursor")).isFalse();

        JsonNode charlie = page1.get("items").get(0);
        assertThat(charlie.get("name").asString()).isEqualTo("Charlie");
        assertThat(charlie.get("brain").asString()).isEqualTo("llm");
        assertThat(charlie.get("enabled").asBoolean()).isFalse();
        assertThat(charlie.get("language").asString()).isEqualTo("en-GB");
        assertThat(charlie.get("version").asInt()).isEqualTo(1);
        assertThat(charlie.has("personaPrompt")).as("lists show summaries").isFalse();
        assertThat(page1.get("items").get(1).get("brain").asString()).isEqualTo("flow");

        assertThat(ids(Http.json(get(http, viewer, "/api/v1/agents")))).containsExactly(third, second, first);
        assertThat(get(http, viewer, "/api/v1/agents?limit=201").statusCode()).isEqualTo(400);
        assertThat(get(http, viewer, "/api/v1/agents?limit=0").statusCode()).isEqualTo(400);
        assertThat(get(http, viewer, "/api/v1/agents?cursor=not-a-cursor").statusCode()).isEqualTo(400);
    }

    @Test
    void anUpdateMakesVersionTwoAndLeavesVersionOneAsItWas() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        String name = unique("Support");
        String id = create(http, admin, llmAgent(name));

        HttpResponse<String> updated = put(http, admin, id,
                set(llmAgent(name + " v2"), "personaPrompt", "You are terse.").toString());

        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(updated.headers().firstValue("ETag")).hasValue("\"2\"");
        assertThat(Http.json(updated).get("version").asInt()).isEqualTo(2);
        assertThat(Http.json(updated).get("id").asString()).isEqualTo(id);
        JsonNode current = Http.json(get(http, admin, "/api/v1/agents/" + id));
        assertThat(current.get("personaPrompt").asString()).isEqualTo("You are terse.");
        assertThat(current.get("name").asString()).isEqualTo(name + " v2");

        JsonNode versions = Http.json(get(http, admin, "/api/v1/agents/" + id + "/versions"));
        assertThat(versions.get("items").findValuesAsString("version")).containsExactly("2", "1");
        assertThat(versions.get("items").get(1).get("name").asString()).isEqualTo(name);
        assertThat(versions.get("items").get(1).get("createdByUser").asString()).isNotBlank();

        JsonNode v1 = Http.json(get(http, admin, "/api/v1/agents/" + id + "/versions/1"));
        assertThat(v1.get("agentId").asString()).isEqualTo(id);
        assertThat(v1.get("version").asInt()).isEqualTo(1);
        assertThat(v1.get("definition")).isEqualTo(llmAgent(name));
        assertThat(Http.json(get(http, admin, "/api/v1/agents/" + id + "/versions/2")).get("definition").get("personaPrompt")
                .asString()).isEqualTo("You are terse.");
        assertThat(get(http, admin, "/api/v1/agents/" + id + "/versions/3").statusCode()).isEqualTo(404);
        assertThat(get(http, admin, "/api/v1/agents/" + id + "/versions/0").statusCode()).isEqualTo(404);
    }

    @Test
    void versionsArePaginatedNewestFirst() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        String name = unique("Paged");
        String id = create(http, admin, llmAgent(name));
        for (int i = 2; i <= 5; i++) {
            assertThat(put(http, admin, id, set(llmAgent(name), "firstMessage", "Hello " + i).toString()).statusCode()).isEqualTo(200);
        }
        List<String> seen = new ArrayList<>();
        String cursor = "";
        do {
            JsonNode page = Http.json(get(http, admin, "/api/v1/agents/" + id + "/versions?limit=2" + cursor));
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            seen.addAll(page.get("items").findValuesAsString("version"));
            cursor = page.has("nextCursor") ? "&cursor=" + page.get("nextCursor").asString() : null;
        } while (cursor != null);
        assertThat(seen).containsExactly("5", "4", "3", "2", "1");
    }

    @Test
    void aStaleIfMatchIsAConflictAndChangesNothing() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        String name = unique("Concurrent");
        String id = create(http, admin, llmAgent(name));
        String edit = set(llmAgent(name), "firstMessage", "Edited").toString();

        assertThat(put(http, admin, id, edit, "If-Match", "\"1\"").statusCode()).isEqualTo(200);
        HttpResponse<String> stale = put(http, admin, id, set(llmAgent(name), "firstMessage", "Lost").toString(), "If-Match", "\"1\"");

        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(Http.json(stale).get("code").asString()).isEqualTo("conflict");
        assertThat(Http.json(stale).get("detail").asString()).contains("version 2");
        JsonNode current = Http.json(get(http, admin, "/api/v1/agents/" + id));
        assertThat(current.get("version").asInt()).isEqualTo(2);
        assertThat(current.get("firstMessage").asString()).isEqualTo("Edited");
        assertThat(jdbc().sql("select count(*) from agent_versions where agent_id = ?").param(UUID.fromString(id))
                .query(Long.class).single()).isEqualTo(2);

        assertThat(put(http, admin, id, edit, "If-Match", "\"2\"").statusCode()).isEqualTo(200);
        assertThat(put(http, admin, id, edit, "If-Match", "*").statusCode()).isEqualTo(200);
        assertThat(put(http, admin, id, edit).statusCode()).as("If-Match is optional").isEqualTo(200);
        assertThat(put(http, admin, id, edit, "If-Match", "5").statusCode()).as("an unquoted version").isEqualTo(200);
        for (String malformed : List.of("\"v4\"", "\"6", "W/\"6\"")) {
            HttpResponse<String> r = put(http, admin, id, edit, "If-Match", malformed);
            assertThat(r.statusCode()).as(malformed).isEqualTo(400);
            assertThat(Http.json(r).get("code").asString()).isEqualTo("bad_request");
        }
    }

    @Test
    void ofTwoConcurrentSavesFromTheSameVersionExactlyOneWins() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        String name = unique("Race");
        String id = create(http, admin, llmAgent(name));
        List<CompletableFuture<HttpResponse<String>>> saves = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            saves.add(http.sendAsync(http.request("/api/v1/agents/" + id).header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/json").header("If-Match", "\"1\"")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(set(llmAgent(name), "firstMessage", "Save " + i).toString()))));
        }
        List<Integer> statuses = saves.stream().map(f -> f.join().statusCode()).sorted().toList();

        assertThat(statuses).containsExactly(200, 409);
        assertThat(Http.json(get(http, admin, "/api/v1/agents/" + id)).get("version").asInt()).isEqualTo(2);
    }

    @Test
    void namesAreUniquePerOrganizationIgnoringCaseUntilDeleted() {
        UUID org = IdentityTestAccess.organization(context);
        UUID other = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        String sales = create(http, admin, llmAgent("Sales"));

        HttpResponse<String> again = post(http, admin, llmAgent("sales").toString());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(Http.json(again).get("code").asString()).isEqualTo("conflict");
        assertThat(Http.json(again).get("errors").get(0).get("field").asString()).isEqualTo("name");
        String support = create(http, admin, llmAgent("Support"));
        HttpResponse<String> rename = put(http, admin, support, llmAgent("SALES").toString());
        assertThat(rename.statusCode()).isEqualTo(409);
        assertThat(Http.json(rename).get("errors").get(0).get("message").asString()).contains("already used");
        assertThat(Http.json(get(http, admin, "/api/v1/agents/" + support)).get("version").asInt()).isEqualTo(1);

        create(http, IdentityTestAccess.adminToken(context, other), llmAgent("Sales"));
        assertThat(delete(http, admin, sales).statusCode()).isEqualTo(204);
        create(http, admin, llmAgent("Sales"));
    }

    @Test
    void anotherOrganizationCanNeitherSeeNorChangeAnAgent() {
        UUID org = IdentityTestAccess.organization(context);
        UUID other = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        String intruder = IdentityTestAccess.tokenFor(context, other, Role.OWNER);
        String name = unique("Private");
        String id = create(http, admin, llmAgent(name));
        create(http, intruder, llmAgent("Theirs"));

        assertThat(get(http, intruder, "/api/v1/agents/" + id).statusCode()).isEqualTo(404);
        assertThat(get(http, intruder, "/api/v1/agents/" + id + "/versions").statusCode()).isEqualTo(404);
        assertThat(get(http, intruder, "/api/v1/agents/" + id + "/versions/1").statusCode()).isEqualTo(404);
        assertThat(put(http, intruder, id, llmAgent("Hijacked").toString()).statusCode()).isEqualTo(404);
        assertThat(delete(http, intruder, id).statusCode()).isEqualTo(404);
        HttpResponse<String> theirList = get(http, intruder, "/api/v1/agents");
        assertThat(theirList.body()).doesNotContain(id).doesNotContain(name).contains("Theirs");
        assertThat(definitions().current(other, UUID.fromString(id))).isEmpty();
        assertThat(definitions().version(other, UUID.fromString(id), 1)).isEmpty();
        assertThat(definitions().findByName(other, name)).isEmpty();

        JsonNode mine = Http.json(get(http, admin, "/api/v1/agents/" + id));
        assertThat(mine.get("name").asString()).isEqualTo(name);
        assertThat(mine.get("version").asInt()).as("untouched").isEqualTo(1);
    }

    @Test
    void deletingHidesTheAgentButKeepsItsVersions() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        String name = unique("Retired");
        String id = create(http, admin, llmAgent(name));
        put(http, admin, id, set(llmAgent(name), "firstMessage", "Second").toString());

        assertThat(delete(http, admin, id).statusCode()).isEqualTo(204);

        assertThat(get(http, admin, "/api/v1/agents/" + id).statusCode()).isEqualTo(404);
        assertThat(get(http, admin, "/api/v1/agents").body()).doesNotContain(id);
        assertThat(get(http, admin, "/api/v1/agents/" + id + "/versions").statusCode()).isEqualTo(404);
        assertThat(get(http, admin, "/api/v1/agents/" + id + "/versions/1").statusCode()).isEqualTo(404);
        assertThat(put(http, admin, id, llmAgent(name).toString()).statusCode()).isEqualTo(404);
        assertThat(delete(http, admin, id).statusCode()).isEqualTo(404);
        UUID agentId = UUID.fromString(id);
        assertThat(jdbc().sql("select count(*) from agent_versions where agent_id = ?").param(agentId).query(Long.class).single())
                .isEqualTo(2);
        assertThat(definitions().version(org, agentId, 1).orElseThrow().definition().firstMessage()).isEqualTo("Hi, this is Acme support.");
        assertThat(definitions().version(org, agentId, 2).orElseThrow().definition().firstMessage()).isEqualTo("Second");
        assertThat(definitions().current(org, agentId)).isEmpty();
        assertThat(definitions().findByName(org, name)).isEmpty();
    }

    @Test
    void everyChangeIsAudited() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        String name = unique("Audited");
        String id = create(http, admin, llmAgent(name));
        put(http, admin, id, llmAgent(name).toString());
        delete(http, admin, id);

        List<String> actions = jdbc().sql("""
                select action || ' ' || coalesce(details->>'version', '-') from audit_events
                where org_id = ? and target_type = 'agent' and target_id = ? and actor_user is not null
                order by created_at, id""")
                .params(org, id).query(String.class).list();
        assertThat(actions).containsExactly("agent.created 1", "agent.updated 2", "agent.deleted -");
        assertThat(post(http, admin, set(llmAgent(name), "brain", "robot").toString()).statusCode()).isEqualTo(400);
        assertThat(jdbc().sql("select count(*) from audit_events where org_id = ? and action like 'agent.%'")
                .param(org).query(Long.class).single()).as("refused changes are not audited").isEqualTo(3);
    }

    @Test
    void versionsCannotBeChangedOrRemovedInTheDatabase() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        UUID id = UUID.fromString(create(http, admin, llmAgent(unique("Immutable"))));
        JdbcClient jdbc = jdbc();

        assertThatThrownBy(() -> jdbc.sql("update agent_versions set definition = '{}'::jsonb where agent_id = ?").param(id).update())
                .isInstanceOf(DataAccessException.class).hasMessageContaining("agent_versions are immutable");
        assertThatThrownBy(() -> jdbc.sql("delete from agent_versions where agent_id = ?").param(id).update())
                .isInstanceOf(DataAccessException.class).hasMessageContaining("agent_versions are immutable");
        assertThatThrownBy(() -> jdbc.sql("delete from agents where id = ?").param(id).update())
                .as("an agent with versions is never removed, only marked deleted")
                .isInstanceOf(DataAccessException.class).hasMessageContaining("agent_versions are immutable");
        assertThatThrownBy(() -> jdbc.sql("truncate agent_versions cascade").update())
                .isInstanceOf(DataAccessException.class).hasMessageContaining("agent_versions are immutable");
        assertThatThrownBy(() -> jdbc.sql("update agents set current_version = 9 where id = ?").param(id).update())
                .as("the current version must exist").isInstanceOf(DataAccessException.class);
        assertThat(jdbc.sql("select count(*) from agent_versions where agent_id = ?").param(id).query(Long.class).single()).isEqualTo(1);

        UUID doomed = IdentityTestAccess.organization(context);
        create(http, IdentityTestAccess.adminToken(context, doomed), llmAgent("Doomed"));
        jdbc.sql("delete from organizations where id = ?").param(doomed).update();
        assertThat(jdbc.sql("select count(*) from agent_versions where org_id = ?").param(doomed).query(Long.class).single())
                .as("deleting the organization takes its agents with it").isZero();
    }

    @Test
    void malformedBodiesAndWrongTypesAreBadRequests() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);

        HttpResponse<String> notJson = post(http, admin, "{\"name\": \"Broken\", ");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(Http.json(notJson).get("code").asString()).isEqualTo("malformed_json");
        assertThat(post(http, admin, "").statusCode()).isEqualTo(400);

        HttpResponse<String> wrongType = post(http, admin, set(llmAgent("Typed"), "brain", 5).toString());
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(Http.json(wrongType).get("code").asString()).isEqualTo("validation_failed");
        assertThat(Http.json(wrongType).get("errors").get(0).get("field").asString()).isEqualTo("brain");

        HttpResponse<String> array = post(http, admin, "[]");
        assertThat(array.statusCode()).isEqualTo(400);
        assertThat(Http.json(array).get("errors").get(0).get("message").asString()).isEqualTo("must be an object");

        HttpResponse<String> many = post(http, admin, "{\"brain\": \"flow\", \"memory\": 1, \"tools\": [\"x\"]}");
        assertThat(Http.json(many).get("errors").findValuesAsString("field"))
                .as("every error at once").containsExactly("name", "tools[0]", "memory", "flow");
        assertThat(get(http, admin, "/api/v1/agents/not-a-uuid").statusCode()).isEqualTo(400);
        assertThat(get(http, admin, "/api/v1/agents").body()).doesNotContain("Typed").doesNotContain("Broken");
    }

    @Test
    void theDefinitionsServiceGivesTypedDefinitions() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        String name = unique("Front desk");
        UUID id = UUID.fromString(create(http, admin, flowAgent(name)));
        put(http, admin, id, set(flowAgent(name), "firstMessage", "Welcome back.").toString());

        AgentVersion current = definitions().current(org, id).orElseThrow();
        assertThat(current.agentId()).isEqualTo(id);
        assertThat(current.orgId()).isEqualTo(org);
        assertThat(current.version()).isEqualTo(2);
        assertThat(current.createdByUser()).isNotNull();
        AgentDefinition definition = current.definition();
        assertThat(definition.brain()).isEqualTo(AgentDefinition.Brain.FLOW);
        assertThat(definition.firstMessage()).isEqualTo("Welcome back.");
        assertThat(definition.providers().llm()).isNull();
        assertThat(definition.providers().tts().choices()).extracting(AgentDefinition.ProviderChoice::provider).containsExactly("offline");
        AgentDefinition.Flow flow = definition.flow();
        assertThat(flow.start().id()).isEqualTo("greet");
        AgentDefinition.FlowNode book = flow.node("book").orElseThrow();
        assertThat(book.slots()).extracting(AgentDefinition.Slot::type)
                .containsExactly(AgentDefinition.SlotType.DATE, AgentDefinition.SlotType.TIME);
        assertThat(book.slots().get(1).required()).as("slots are required unless said otherwise").isTrue();
        assertThat(book.transitions().getFirst().condition()).isEqualTo(AgentDefinition.Condition.SLOTS_FILLED);
        assertThat(flow.node("done").orElseThrow().end()).isTrue();
        assertThat(flow.node("greet").orElseThrow().transitions().getFirst().examples()).contains("where are you");

        assertThat(definitions().version(org, id, 1).orElseThrow().definition().firstMessage()).isEqualTo("Hello, front desk.");
        assertThat(definitions().version(org, id, 3)).isEmpty();
        assertThat(definitions().findByName(org, name.toUpperCase(java.util.Locale.ROOT)).orElseThrow().agentId()).isEqualTo(id);
        assertThat(definitions().findByName(org, "  " + name + " ").orElseThrow().version()).isEqualTo(2);
        assertThat(definitions().findByName(org, "Nobody")).isEmpty();

        UUID llm = UUID.fromString(create(http, admin, llmAgent(unique("Support"))));
        AgentDefinition support = definitions().current(org, llm).orElseThrow().definition();
        assertThat(support.providers().llm().choices()).extracting(AgentDefinition.ProviderChoice::provider)
                .containsExactly("openai", "anthropic");
        assertThat(support.httpTool("lookup_order").orElseThrow().schema().get("required").get(0).asString()).isEqualTo("order_id");
        assertThat(support.toolNames()).containsExactly("knowledge_search", "end_call", "lookup_order");
        assertThat(support.knowledgeBaseIds()).containsExactly(UUID.fromString(AgentFixtures.KNOWLEDGE_BASE));
        assertThat(support.voiceFor(support.providers().tts().choices().get(0))).isEqualTo("rachel");
        assertThat(support.voiceFor(support.providers().tts().choices().get(1))).as("the agent's voice").isEqualTo("alloy");
    }

    @Test
    void aSaveByAnApiKeyRecordsTheKeyAsItsAuthor() {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        JsonNode key = Http.json(http.postJson("/api/v1/api-keys", "{\"name\":\"deploy\",\"scopes\":[\"agents:write\"]}",
                "Authorization", "Bearer " + admin));
        String id = create(http, key.get("secret").asString(), llmAgent(unique("Automated")));

        JsonNode version = Http.json(get(http, admin, "/api/v1/agents/" + id + "/versions/1"));

        assertThat(version.get("createdByApiKey").asString()).isEqualTo(key.get("key").get("id").asString());
        assertThat(version.has("createdByUser")).isFalse();
        assertThat(jdbc().sql("select actor_key from audit_events where action = 'agent.created' and target_id = ?")
                .param(id).query(UUID.class).single()).hasToString(key.get("key").get("id").asString());
    }

    @Test
    void theApiDescriptionShowsTheShapeOfAnAgent() {
        JsonNode docs = Http.json(http.get("/api/docs"));

        JsonNode body = docs.get("paths").get("/api/v1/agents").get("post").get("requestBody");
        assertThat(body.get("required").asBoolean()).isTrue();
        String ref = body.get("content").get("application/json").get("schema").get("$ref").asString();
        JsonNode schema = docs.get("components").get("schemas").get(ref.substring(ref.lastIndexOf('/') + 1));
        assertThat(ref).endsWith("/AgentDefinition");
        assertThat(schema.get("properties").propertyNames()).containsExactly("name", "brain", "personaPrompt",
                "firstMessage", "language", "voice", "providers", "endpointing", "interruption", "tools", "httpTools",
                "knowledgeBaseIds", "memory", "limits", "enabled", "flow");
        assertThat(schema.get("properties").get("brain").get("enum").toString()).isEqualTo("[\"llm\",\"flow\"]");
        assertThat(docs.get("paths").get("/api/v1/agents/{id}").get("put").get("requestBody").toString()).contains(ref);
    }

    private static List<String> ids(JsonNode page) {
        return page.get("items").findValuesAsString("id");
    }
}
