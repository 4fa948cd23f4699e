package dev.palaver.server.brain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolMessage;
import dev.palaver.server.agents.AgentDefinition.Flow;
import dev.palaver.server.testing.SharedPalaverContext;

/** The offline flow interpreter with the real MiniLM transition matcher; tool results are written here. */
class FlowEngineTest extends SharedPalaverContext {

    /** A Tuesday. */
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 24);

    private static final Flow FLOW = TestTurnsClient.JSON.convertValue(TestTurnsClient.JSON.readTree("""
            {"startNode": "menu", "nodes": [
              {"id": "menu", "instructions": "Ask what they need.", "reply": "Anything else?", "slots": [], "functions": [],
               "end": false,
               "transitions": [{"target": "booking", "examples": ["I'd like to book an appointment"]},
                               {"target": "bye", "examples": ["goodbye, thanks"]}]},
              {"id": "booking", "instructions": "Book.", "end": false,
               "slots": [{"name": "date", "type": "date", "required": true, "prompt": "Which day?"},
                         {"name": "time", "type": "time", "required": true, "prompt": "What time?"},
                         {"name": "phone", "type": "phone", "required": true, "prompt": "Your number?"}],
               "functions": ["book_appointment"], "reply": "Booked for {date} at {time}.",
               "transitions": [{"target": "menu", "examples": [], "condition": "always"}]},
              {"id": "bye", "instructions": "Say goodbye.", "slots": [], "functions": ["end_call"], "reply": "Goodbye!",
               "transitions": [], "end": true}]}
            """), Flow.class);

    private FlowEngine engine(Map<String, String> known, boolean knowledge) {
        Map<String, Set<String>> tools = Map.of(
                "book_appointment", Set.of("name", "phone", "date", "time", "service"),
                "knowledge_search", Set.of("query", "limit"),
                "end_call", Set.of("reason"));
        return new FlowEngine(FLOW, context.getBean(TransitionMatcher.class), tools, known, () -> TODAY, "US",
                knowledge, TestTurnsClient.JSON);
    }

    private static JsonNode args(ToolCall call) {
        return TestTurnsClient.JSON.readTree(call.argumentsJson());
    }

    private static ToolMessage result(ToolCall call, String json, boolean error) {
        return new ToolMessage(call.id(), call.name(), json, error);
    }

    @Test
    void asksForEachMissingSlotThenBooksAndReturns() {
        FlowEngine flow = engine(Map.of(), false);
        FlowEngine.Step step = flow.onUser("I'd like to book an appointment on Friday");
        assertThat(step.text()).isEqualTo("What time?");
        assertThat(flow.currentNode()).isEqualTo("booking");
        assertThat(flow.onUser("4").text()).isEqualTo("Your number?");
        step = flow.onUser("it's 415 555 0100");
        assertThat(step.text()).isEmpty();
        ToolCall book = step.calls().getFirst();
        assertThat(book.name()).isEqualTo("book_appointment");
        assertThat(args(book).properties()).hasSize(3);
        assertThat(args(book).get("date").asString()).isEqualTo("2026-11-27");
        assertThat(args(book).get("time").asString()).isEqualTo("16:00");
        assertThat(args(book).get("phone").asString()).isEqualTo("+14155550100");

        step = flow.onToolResults(List.of(result(book, "{\"booked\": true}", false)));
        assertThat(step.text()).isEqualTo("Booked for Friday, November 27 at 4 PM. Anything else?");
        assertThat(flow.currentNode()).isEqualTo("menu");

        step = flow.onUser("I'd like to book another appointment");
        assertThat(step.text()).as("a second booking asks for its own day; the number stays").isEqualTo("Which day?");
    }

    @Test
    void aRefusedBookingSaysWhyAndAsksAgainForWhatItNames() {
        FlowEngine flow = engine(Map.of("phone", "+14155550100"), false);
        FlowEngine.Step step = flow.onUser("I'd like to book an appointment tomorrow at 3 pm");
        ToolCall book = step.calls().getFirst();
        step = flow.onToolResults(List.of(result(book, """
                {"error": "slot_taken", "message": "3 PM is taken. I could offer 4 PM.", "retry": ["time"]}""", true)));
        assertThat(step.text()).isEqualTo("3 PM is taken. I could offer 4 PM.");
        assertThat(flow.currentNode()).isEqualTo("booking");
        assertThat(flow.slots()).doesNotContainKey("time").containsEntry("date", "2026-11-25");
        step = flow.onUser("4 then");
        assertThat(step.calls()).hasSize(1);
        assertThat(args(step.calls().getFirst()).get("time").asString()).isEqualTo("16:00");
    }

    @Test
    void whatNoTransitionMatchesIsAnsweredFromCloseKnowledgeOnly() {
        FlowEngine flow = engine(Map.of(), true);
        FlowEngine.Step step = flow.onUser("How much is a beard trim?");
        ToolCall search = step.calls().getFirst();
        assertThat(search.name()).isEqualTo("knowledge_search");
        assertThat(args(search).get("query").asString()).isEqualTo("How much is a beard trim?");
        step = flow.onToolResults(List.of(result(search, """
                {"mode": "hybrid", "degraded": false, "results": [{"text": "A beard trim costs 15 dollars.", "similarity": 0.71}]}""",
                false)));
        assertThat(step.text()).isEqualTo("A beard trim costs 15 dollars.");

        step = flow.onUser("Do you like jazz?");
        step = flow.onToolResults(List.of(result(step.calls().getFirst(), """
                {"mode": "hybrid", "degraded": false, "results": [{"text": "A beard trim costs 15 dollars.", "similarity": 0.05}]}""",
                false)));
        assertThat(step.text()).isEqualTo("Sorry, I didn't quite catch that. Anything else?");
        assertThat(flow.currentNode()).isEqualTo("menu");
    }

    @Test
    void withoutKnowledgeItSaysItDidNotCatchThat() {
        FlowEngine flow = engine(Map.of(), false);
        FlowEngine.Step step = flow.onUser("Do you like jazz?");
        assertThat(step.calls()).isEmpty();
        assertThat(step.text()).isEqualTo("Sorry, I didn't quite catch that. Anything else?");
    }

    @Test
    void theEndNodeHangsUpAfterItsReply() {
        FlowEngine flow = engine(Map.of(), false);
        FlowEngine.Step step = flow.onUser("Goodbye, thank you");
        assertThat(step.calls()).extracting(ToolCall::name).containsExactly("end_call");
        assertThat(flow.onToolResults(List.of(result(step.calls().getFirst(), "{\"ended\": true}", false))).text())
                .isEqualTo("Goodbye!");
    }

    @Test
    void longPassagesAreCutToTheSentencesThatAnswer() {
        String passage = "Services and prices: a haircut costs 30 dollars and takes 30 minutes. A beard trim costs 15 dollars. "
                + "A wash and blow-dry costs 25 dollars. Colouring starts at 55 dollars. A children's haircut costs 18 dollars. "
                + "Gift vouchers are sold at the desk in any amount and never expire. Students get ten percent off on weekdays.";
        assertThat(FlowEngine.bestSentences(passage, "How much does colouring cost?"))
                .isEqualTo("Colouring starts at 55 dollars. A children's haircut costs 18 dollars.");
    }
}
