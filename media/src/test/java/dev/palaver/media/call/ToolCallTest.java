package dev.palaver.media.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.fake.FakeReply;
import dev.palaver.media.fake.Latency;
import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.media.llm.ToolMessage;
import dev.palaver.media.llm.ToolResult;
import dev.palaver.media.llm.UserMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolCallTest {

    private static final ToolDefinition LOOKUP = new ToolDefinition("lookup_appointment",
            "Finds the caller's appointment", "{\"type\":\"object\"}", Duration.ofSeconds(1));
    private static final ToolDefinition END_CALL = new ToolDefinition("end_call", "Hangs up", "{\"type\":\"object\"}");

    private static CallHarness withLookup() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("When is my appointment?");
        h.toolScript.tool(LOOKUP, Latency.millis(300), args -> ToolResult.ok("{\"day\":\"Tuesday\"}"));
        return h;
    }

    private static List<ChatMessage> tail(List<ChatMessage> messages, int n) {
        return messages.subList(messages.size() - n, messages.size());
    }

    @Test
    void toolResultGoesBackToTheModelAndTheAnswerIsSpoken() {
        CallHarness h = withLookup();
        ToolCall call = new ToolCall("c1", "lookup_appointment", "{\"name\":\"Ann\"}");
        h.llmScript.replies(
                FakeReply.says("Let me check. ").thenCallsTool("c1", "lookup_appointment", "{\"name\":\"Ann\"}"),
                FakeReply.says("You are booked for Tuesday."));
        h.start();

        h.speakMillis(800).silenceMillis(3000);

        assertThat(h.tools.calls()).containsExactly(call);
        assertThat(h.llm.requests().getFirst().tools()).containsExactly(LOOKUP);
        ToolMessage result = new ToolMessage("c1", "lookup_appointment", "{\"day\":\"Tuesday\"}", false);
        assertThat(tail(h.llm.requests().get(1).messages(), 2)).containsExactly(
                new AssistantMessage("Let me check.", List.of(call), false), result);
        assertThat(h.conversation()).containsExactly(
                new UserMessage("When is my appointment?"),
                new AssistantMessage("Let me check.", List.of(call), false),
                result,
                AssistantMessage.of("You are booked for Tuesday."));
        assertThat(h.events(CallEvent.ToolCalled.class)).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("lookup_appointment");
            assertThat(e.error()).isFalse();
            assertThat(e.durationMillis()).isEqualTo(300);
        });
        h.hangUpAndAssertReleased();
    }

    @Test
    void parallelToolCallsAreAllAnsweredInOrder() {
        CallHarness h = withLookup();
        h.llmScript.replies(
                FakeReply.callsTool("a", "lookup_appointment", "{}").thenCallsTool("b", "lookup_appointment", "{}"),
                FakeReply.says("Two found."));
        h.start();

        h.speakMillis(800).silenceMillis(3000);

        assertThat(h.llm.requests().get(1).messages()).filteredOn(ToolMessage.class::isInstance)
                .extracting(m -> ((ToolMessage) m).toolCallId()).containsExactly("a", "b");
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Two found."));
        h.hangUpAndAssertReleased();
    }

    @Test
    void invalidJsonArgumentsAreAnsweredToTheModelAsAToolError() {
        CallHarness h = withLookup();
        h.llmScript.replies(
                FakeReply.callsTool("c1", "lookup_appointment", "{\"name\": Ann"),
                FakeReply.says("Could you spell your name?"));
        h.start();

        h.speakMillis(800).silenceMillis(3000);

        assertThat(h.tools.calls()).isEmpty();
        ChatMessage answer = h.llm.requests().get(1).messages().getLast();
        assertThat(answer).isInstanceOfSatisfying(ToolMessage.class, m -> {
            assertThat(m.error()).isTrue();
            assertThat(m.content()).startsWith("Invalid arguments");
        });
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Could you spell your name?"));
        assertThat(h.events(CallEvent.ErrorOccurred.class)).isEmpty();
        h.hangUpAndAssertReleased();
    }

    @Test
    void unknownToolIsAnsweredAsAnError() {
        CallHarness h = withLookup();
        h.llmScript.replies(FakeReply.callsTool("c1", "launch_rocket", "{}"), FakeReply.says("I can't do that."));
        h.start();

        h.speakMillis(800).silenceMillis(3000);

        assertThat(h.llm.requests().get(1).messages().getLast())
                .isEqualTo(new ToolMessage("c1", "launch_rocket", "There is no tool named launch_rocket.", true));
        h.hangUpAndAssertReleased();
    }

    @Test
    void toolThatThrowsIsAnsweredAsAnError() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("Book me.");
        h.toolScript.tool(LOOKUP, Latency.millis(50), args -> {
            throw new IllegalStateException("database down");
        });
        h.llmScript.replies(FakeReply.callsTool("c1", "lookup_appointment", "{}"), FakeReply.says("Sorry."));
        h.start();

        h.speakMillis(800).silenceMillis(3000);

        assertThat(h.llm.requests().get(1).messages().getLast())
                .isEqualTo(new ToolMessage("c1", "lookup_appointment", "Tool failed: database down", true));
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Sorry."));
        h.hangUpAndAssertReleased();
    }

    @Test
    void toolThatDoesNotAnswerInTimeIsCancelledAndReportedToTheModel() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("Book me.");
        h.toolScript.silentTool(LOOKUP);
        h.llmScript.replies(FakeReply.callsTool("c1", "lookup_appointment", "{}"), FakeReply.says("It is slow today."));
        h.start();

        h.speakMillis(800).silenceMillis(1300);
        // Turn ended at 1300, the call went out at 1500: still waiting just before the 1 s timeout.
        assertThat(h.tools.pendingCalls()).isEqualTo(1);
        assertThat(h.llm.requests()).hasSize(1);
        h.silenceMillis(2000);

        assertThat(h.tools.cancelledCalls()).isEqualTo(1);
        assertThat(h.llm.requests().get(1).messages().getLast()).isEqualTo(new ToolMessage("c1",
                "lookup_appointment", "The tool lookup_appointment did not answer within 1000 ms.", true));
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("It is slow today."));
        h.hangUpAndAssertReleased();
    }

    @Test
    void toolRoundsAreBoundedThenToolsAreWithdrawn() {
        CallHarness h = withLookup();
        h.settings.maxToolRounds(2);
        h.llmScript.replies(
                FakeReply.callsTool("c1", "lookup_appointment", "{}"),
                FakeReply.callsTool("c2", "lookup_appointment", "{}"),
                FakeReply.callsTool("c3", "lookup_appointment", "{}"),
                FakeReply.says("Here is what I found."));
        h.start();

        h.speakMillis(800).silenceMillis(4000);

        assertThat(h.tools.calls()).extracting(ToolCall::id).containsExactly("c1", "c2");
        assertThat(h.llm.requests()).hasSize(4);
        assertThat(h.llm.requests().get(3).tools()).isEmpty();
        assertThat(h.llm.requests().get(3).messages().getLast()).isInstanceOfSatisfying(ToolMessage.class, m -> {
            assertThat(m.toolCallId()).isEqualTo("c3");
            assertThat(m.error()).isTrue();
            assertThat(m.content()).contains("rounds of tool calls");
        });
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Here is what I found."));
        h.hangUpAndAssertReleased();
    }

    @Test
    void modelThatKeepsCallingToolsAfterTheLimitCannotLoop() {
        CallHarness h = withLookup();
        h.settings.maxToolRounds(1);
        h.llmScript.otherwise(request -> FakeReply.says("Still trying. ")
                .thenCallsTool("again", "lookup_appointment", "{}"));
        h.start();

        h.speakMillis(800).silenceMillis(4000);

        assertThat(h.tools.calls()).hasSize(1);
        assertThat(h.llm.requests()).hasSize(3);
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.hangUpAndAssertReleased();
    }

    @Test
    void endCallToolHangsUpOnceTheGoodbyeHasPlayed() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("That's all, bye.");
        h.toolScript.tool(END_CALL, Latency.millis(10), args -> ToolResult.endCall("ending"));
        h.llmScript.replies(FakeReply.callsTool("c1", "end_call", "{}"), FakeReply.says("Goodbye!"));
        h.start();

        h.speakMillis(800).silenceMillis(3000);

        assertThat(h.session.isEnded()).isTrue();
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Goodbye!"));
        assertThat(h.transport.hungUp()).isTrue();
        assertThat(((CallEvent.CallEnded) h.events.getLast()).reason()).isEqualTo(EndReason.AGENT_HUNG_UP);
        // The hang-up comes after the goodbye's last frame and mark.
        assertThat(h.transport.sent().getLast()).isInstanceOf(dev.palaver.media.transport.InMemoryTransport.HangUp.class);
        h.assertReleasedEverything();
    }
}
