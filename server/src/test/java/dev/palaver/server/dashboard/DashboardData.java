package dev.palaver.server.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.springframework.context.ApplicationContext;

import dev.palaver.server.calls.CallsTestAccess;
import dev.palaver.server.crm.Appointments;
import dev.palaver.server.crm.Customers;
import dev.palaver.server.identity.ApiKeys;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.identity.Role;
import dev.palaver.server.identity.Scopes;
import dev.palaver.server.knowledge.KnowledgeBases;
import dev.palaver.server.telephony.PhoneNumbers;
import dev.palaver.server.testing.Http;

/**
 * One organization with something on every page, all named after {@code label} so a test can tell two
 * organizations' data apart: an agent (made through the API), a knowledge base with a document, an API key,
 * a finished call (transcript, tool call, turns, an error, a recording), a customer with an appointment, a
 * phone number answered by the agent.
 */
record DashboardData(UUID orgId, IdentityTestAccess.Login owner, IdentityTestAccess.Login viewer, UUID agentId,
                     UUID knowledgeBaseId, UUID callId, UUID customerId, String line, String label) {

    /** Phone numbers are unique across organizations: each data set gets a line of its own. */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_LINE =
            new java.util.concurrent.atomic.AtomicInteger(new java.util.Random().nextInt(5000));

    static DashboardData create(ApplicationContext context, Http http, String label) {
        UUID org = IdentityTestAccess.organization(context);
        IdentityTestAccess.Login owner = IdentityTestAccess.member(context, org, Role.OWNER);
        IdentityTestAccess.Login viewer = IdentityTestAccess.member(context, org, Role.VIEWER);
        Caller actor = Caller.member(org, owner.userId(), Role.OWNER, null);
        KnowledgeBases bases = context.getBean(KnowledgeBases.class);
        KnowledgeBases.KnowledgeBase kb = bases.create(org, actor, label + " handbook", "What " + label + " staff know");
        bases.addDocument(org, actor, kb.id(), label + "-hours.md", "text/markdown",
                ("# Opening hours\n\n" + label + " is open Monday to Friday from 9 am to 5 pm.\n").getBytes(StandardCharsets.UTF_8));
        context.getBean(ApiKeys.class).create(actor, label + " key", List.of(Scopes.CALLS_READ), null);
        String token = IdentityTestAccess.adminToken(context, org);
        var created = http.postJson("/api/v1/agents", agentJson(label + " desk", kb.id()), "Authorization", "Bearer " + token);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("creating the agent failed: " + created.body());
        }
        UUID agentId = UUID.fromString(Http.json(created).get("id").asString());
        UUID callId = CallsTestAccess.finishedCall(context, org, agentId, new CallsTestAccess.Script(phone(label),
                "When does " + label + " open?", label + " opens at nine.", true, new long[] {640, 910}, true));
        Customers customers = context.getBean(Customers.class);
        UUID customerId = customers.create(org, label + " Customer", phone(label), null, "met " + label).id();
        Instant start = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
        context.getBean(Appointments.class).book(org, new Appointments.Booking(customerId, null, label + " consultation",
                start, start.plus(Duration.ofMinutes(30)), null, callId));
        String line = context.getBean(PhoneNumbers.class).create(actor, "+1628555" + String.format("%04d",
                NEXT_LINE.incrementAndGet() % 10_000), agentId).number();
        return new DashboardData(org, owner, viewer, agentId, kb.id(), callId, customerId, line, label);
    }

    /** A valid US number unique to the label. */
    static String phone(String label) {
        return "+1415555" + String.format("%04d", Math.floorMod(label.hashCode(), 10_000));
    }

    static String agentJson(String name, UUID knowledgeBaseId) {
        return """
                {"name": "%s", "brain": "llm", "personaPrompt": "You are the receptionist of %s.",
                 "firstMessage": "Hello, %s speaking.", "language": "en",
                 "providers": {"stt": {"provider": "offline", "fallbacks": []},
                               "llm": {"provider": "openai", "model": "gpt-4o-mini", "fallbacks": []},
                               "tts": {"provider": "offline", "fallbacks": []}},
                 "tools": ["knowledge_search", "end_call"], "knowledgeBaseIds": ["%s"], "enabled": true}
                """.formatted(name, name, name, knowledgeBaseId);
    }
}
