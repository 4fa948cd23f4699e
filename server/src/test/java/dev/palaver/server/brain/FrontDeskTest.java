package dev.palaver.server.brain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.agents.AgentDefinitions;
import dev.palaver.server.identity.FirstOwner;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

/**
 * The sample "Front desk" agent, offline (no language model), through test-turns: it answers from its
 * knowledge base, books appointments, never double-books, and greets a returning caller by name.
 */
class FrontDeskTest extends SharedPalaverContext {

    private static final String BOOK_ANN = "I'd like to book a haircut next Tuesday at 3 pm, I'm Ann, +1 415 555 0100";

    private record Desk(UUID orgId, String token, TestTurnsClient client) {
    }

    private Desk desk() {
        UUID org = IdentityTestAccess.organization(context);
        UUID agent = context.getBean(FrontDesk.class).create(org);
        String token = IdentityTestAccess.adminToken(context, org);
        return new Desk(org, token, new TestTurnsClient(http, token, agent));
    }

    /** "Next Tuesday" as the server read it, a moment ago (maybe just before midnight). */
    private static Set<LocalDate> nextTuesday() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Set<LocalDate> days = new HashSet<>();
        days.add(today.with(TemporalAdjusters.next(DayOfWeek.TUESDAY)));
        days.add(today.minusDays(1).with(TemporalAdjusters.next(DayOfWeek.TUESDAY)));
        return days;
    }

    private List<JsonNode> appointments(Desk desk) {
        HttpResponse<String> response = http.get("/api/v1/appointments", "Authorization", "Bearer " + desk.token());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        Http.json(response).get("items").forEach(out::add);
        return out;
    }

    @Test
    void theFirstOrganizationHasTheFrontDesk() {
        UUID first = context.getBean(FirstOwner.class).createdThisStart().orElseThrow().orgId();
        assertThat(context.getBean(AgentDefinitions.class).findByName(first, FrontDesk.AGENT_NAME)).isPresent();
    }

    @Test
    void answersOpeningHoursFromItsKnowledgeBase() {
        Desk desk = desk();
        JsonNode turn = desk.client().turn(null, "What are your opening hours?", null);
        assertThat(turn.get("greeting").asString()).contains("Harbour Hair");
        assertThat(turn.get("reply").asString()).contains("Monday to Saturday from 9 am to 6 pm");
        assertThat(TestTurnsClient.toolNames(turn)).containsExactly("knowledge_search");
        assertThat(turn.get("node").asString()).isEqualTo("menu");
    }

    @Test
    void booksAnAppointmentAndOffersAnAlternativeForATakenSlot() {
        Desk desk = desk();
        JsonNode first = desk.client().turn(null, BOOK_ANN, null);
        assertThat(TestTurnsClient.toolNames(first)).as(first.toString()).containsExactly("book_appointment");
        assertThat(first.get("reply").asString()).contains("You're all set, Ann").contains("3 PM");
        List<JsonNode> booked = appointments(desk);
        assertThat(booked).hasSize(1);
        JsonNode a = booked.getFirst();
        assertThat(a.get("customerName").asString()).isEqualTo("Ann");
        assertThat(a.get("customerPhone").asString()).isEqualTo("+14155550100");
        assertThat(a.get("startsAt").asString()).endsWith("T15:00:00Z");
        assertThat(nextTuesday()).contains(LocalDate.parse(a.get("startsAt").asString().substring(0, 10)));

        JsonNode again = desk.client().turn(null,
                "I'd like to book a haircut next Tuesday at 3 pm, I'm Bob, +1 415 555 0199", null);
        assertThat(TestTurnsClient.toolNames(again)).containsExactly("book_appointment!");
        assertThat(again.get("reply").asString()).contains("already taken").contains("I could offer")
                .contains("3:30 PM");
        assertThat(again.get("node").asString()).isEqualTo("booking");
        assertThat(appointments(desk)).hasSize(1);

        JsonNode later = desk.client().turn(again.get("sessionId").asString(), "3:30 pm please", null);
        assertThat(TestTurnsClient.toolNames(later)).containsExactly("book_appointment");
        assertThat(later.get("reply").asString()).contains("You're all set, Bob").contains("3:30 PM");
        assertThat(appointments(desk)).hasSize(2);
    }

    @Test
    void twentyConcurrentBookingsOfOneSlotMakeOneAppointment() throws Exception {
        Desk desk = desk();
        List<Callable<JsonNode>> bookings = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String phone = String.format("+1 415 555 %04d", 200 + i);
            bookings.add(() -> desk.client().turn(null,
                    "I'd like to book a haircut next Tuesday at 11 am, I'm Caller, " + phone, null));
        }
        int booked = 0;
        int refused = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (Future<JsonNode> f : pool.invokeAll(bookings)) {
                List<String> tools = TestTurnsClient.toolNames(f.get());
                if (tools.equals(List.of("book_appointment"))) {
                    booked++;
                } else if (tools.equals(List.of("book_appointment!"))) {
                    refused++;
                }
            }
        }
        assertThat(booked).isEqualTo(1);
        assertThat(refused).isEqualTo(19);
        assertThat(appointments(desk)).hasSize(1);
        assertThat(context.getBean(JdbcClient.class).sql("select count(*) from appointments where org_id = ?")
                .param(desk.orgId()).query(Long.class).single()).isEqualTo(1L);
    }

    @Test
    void aReturningCallerIsGreetedWithWhatMemoryHolds() {
        Desk desk = desk();
        String caller = "+14155550123";
        JsonNode first = desk.client().turn(null, "Hi, I'm Ann. Can I leave a message?", caller);
        assertThat(first.get("greeting").asString()).doesNotContain("Welcome back");
        assertThat(first.get("reply").asString()).contains("What message would you like to leave?");
        String session = first.get("sessionId").asString();
        JsonNode message = desk.client().turn(session, "Please call me back about colouring.", caller);
        assertThat(TestTurnsClient.toolNames(message)).containsExactly("take_message");
        assertThat(message.get("reply").asString()).contains("Thank you, Ann");
        desk.client().end(session);

        HttpResponse<String> memory = http.get("/api/v1/memories/" + caller, "Authorization", "Bearer " + desk.token());
        assertThat(memory.statusCode()).as(memory.body()).isEqualTo(200);
        assertThat(Http.json(memory).get("facts").get("name").asString()).isEqualTo("Ann");

        JsonNode second = desk.client().turn(null, "What is your address?", caller);
        assertThat(second.get("greeting").asString()).startsWith("Welcome back, Ann!");
        assertThat(second.get("reply").asString()).contains("12 Harbour Street");
    }
}
