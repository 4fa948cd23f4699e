package dev.palaver.server.brain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.UUID;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolResult;
import dev.palaver.server.agents.AgentDefinitions;
import dev.palaver.server.crm.Messages;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.testing.SharedPalaverContext;

/** The customer, appointment and message tools as a model calls them, on the real database. */
class BuiltInToolsTest extends SharedPalaverContext {

    private static final String CALLER = "+14155550170";
    /** A Wednesday well ahead: open 09:00-18:00 (UTC), the default. */
    private static final String DAY = LocalDate.now(ZoneOffset.UTC).plusWeeks(2)
            .with(TemporalAdjusters.next(DayOfWeek.WEDNESDAY)).toString();

    private UUID org;

    private AgentToolbox toolbox() {
        org = IdentityTestAccess.organization(context);
        UUID agent = context.getBean(FrontDesk.class).create(org);
        ToolContext ctx = new ToolContext(org, null, CALLER,
                context.getBean(AgentDefinitions.class).current(org, agent).orElseThrow().definition(), CallControl.NONE,
                Instant::now);
        return new AgentToolbox(ctx, context.getBean(BuiltInTools.class), context.getBean(HttpTools.class),
                TestTurnsClient.JSON, Executors.newVirtualThreadPerTaskExecutor());
    }

    private static JsonNode ok(AgentToolbox tools, String name, String args) {
        ToolResult r = tools.execute(new ToolCall("c", name, args)).join();
        assertThat(r.error()).as(r.content()).isFalse();
        return TestTurnsClient.JSON.readTree(r.content());
    }

    private static JsonNode refused(AgentToolbox tools, String name, String args) {
        ToolResult r = tools.execute(new ToolCall("c", name, args)).join();
        assertThat(r.error()).as(r.content()).isTrue();
        return TestTurnsClient.JSON.readTree(r.content());
    }

    @Test
    void bookFindCheckRescheduleAndCancel() {
        AgentToolbox tools = toolbox();
        JsonNode booked = ok(tools, "book_appointment",
                "{\"name\": \"Gail\", \"date\": \"" + DAY + "\", \"time\": \"10:00\", \"service\": \"haircut\"}");
        assertThat(booked.get("message").asString()).startsWith("Booked a haircut for Gail on ").endsWith(" at 10 AM.");

        JsonNode free = ok(tools, "check_availability", "{\"date\": \"" + DAY + "\"}");
        assertThat(free.get("free").toString()).doesNotContain("\"10:00\"").contains("\"09:30\"", "\"10:30\"");
        assertThat(free.get("free").get(0).asString()).isEqualTo("09:00");

        JsonNode found = ok(tools, "find_customer", "{}");
        JsonNode gail = found.get("customers").get(0);
        assertThat(gail.get("name").asString()).isEqualTo("Gail");
        assertThat(gail.get("phone").asString()).isEqualTo(CALLER);
        assertThat(gail.get("upcomingAppointments").get(0).get("time").asString()).isEqualTo("10:00");

        ok(tools, "book_appointment", "{\"name\": \"Hal\", \"phone\": \"+14155550171\", \"date\": \"" + DAY
                + "\", \"time\": \"11:00\"}");
        JsonNode taken = refused(tools, "reschedule_appointment", "{\"date\": \"" + DAY + "\", \"time\": \"11:00\"}");
        assertThat(taken.get("error").asString()).isEqualTo("slot_taken");
        assertThat(taken.get("retry").toString()).isEqualTo("[\"time\"]");
        assertThat(taken.get("alternatives").get(0).get("time").asString()).isIn("10:30", "11:30");

        JsonNode moved = ok(tools, "reschedule_appointment", "{\"date\": \"" + DAY + "\", \"time\": \"14:30\"}");
        assertThat(moved.get("time").asString()).isEqualTo("14:30");
        assertThat(moved.get("service").asString()).isEqualTo("haircut");

        JsonNode cancelled = ok(tools, "cancel_appointment", "{}");
        assertThat(cancelled.get("time").asString()).isEqualTo("14:30");
        assertThat(refused(tools, "cancel_appointment", "{}").get("error").asString()).isEqualTo("not_found");
    }

    @Test
    void closedHoursAndThePastAreRefusedWithWhatToAskAgain() {
        AgentToolbox tools = toolbox();
        JsonNode closed = refused(tools, "book_appointment", "{\"name\": \"Ivy\", \"date\": \"" + DAY + "\", \"time\": \"20:00\"}");
        assertThat(closed.get("error").asString()).isEqualTo("closed");
        assertThat(closed.get("message").asString()).startsWith("We're not open then. I could offer");
        JsonNode past = refused(tools, "book_appointment", "{\"name\": \"Ivy\", \"date\": \"2020-01-06\", \"time\": \"10:00\"}");
        assertThat(past.get("error").asString()).isEqualTo("in_the_past");
        assertThat(past.get("retry").toString()).isEqualTo("[\"date\",\"time\"]");
        JsonNode badPhone = refused(tools, "book_appointment", "{\"name\": \"Ivy\", \"phone\": \"12\", \"date\": \"" + DAY
                + "\", \"time\": \"10:00\"}");
        assertThat(badPhone.get("retry").toString()).isEqualTo("[\"phone\"]");
    }

    @Test
    void aMessageIsKeptForTheStaff() {
        AgentToolbox tools = toolbox();
        ok(tools, "take_message", "{\"message\": \"Please call me about colouring.\", \"name\": \"Jo\"}");
        Messages.Message m = context.getBean(Messages.class).latest(org, 1).getFirst();
        assertThat(m.text()).isEqualTo("Please call me about colouring.");
        assertThat(m.callerName()).isEqualTo("Jo");
        assertThat(m.phone()).isEqualTo(CALLER);
    }
}
