package dev.palaver.media.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.fake.FakeLanguageModel;
import dev.palaver.media.fake.FakeReply;
import dev.palaver.media.fake.Latency;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.SystemMessage;
import dev.palaver.media.llm.UserMessage;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HistoryBudgetTest {

    private static CallHarness numberedTurns(int turns) {
        CallHarness h = new CallHarness();
        String[] said = new String[turns];
        for (int i = 0; i < turns; i++) {
            said[i] = "Question " + (i + 1) + ".";
        }
        h.sttScript.transcripts(said);
        AtomicInteger answers = new AtomicInteger();
        h.llmScript.otherwise(request -> FakeReply.says("Answer " + answers.incrementAndGet() + "."));
        return h;
    }

    private static String systemText(CallHarness h) {
        return ((SystemMessage) h.session.history().getFirst()).text();
    }

    @Test
    void onlyTheLastTurnsAreKeptAndOlderOnesAreSummarisedExtractively() {
        CallHarness h = numberedTurns(5);
        h.settings.maxHistoryTurns(2);
        h.start();

        for (int i = 0; i < 5; i++) {
            h.speakMillis(600).silenceMillis(1500);
        }

        assertThat(h.callerMessages()).containsExactly("Question 4.", "Question 5.");
        assertThat(systemText(h)).isEqualTo("""
                You are a test agent.

                Summary of the conversation so far:
                Caller: Question 1.
                Agent: Answer 1.
                Caller: Question 2.
                Agent: Answer 2.
                Caller: Question 3.
                Agent: Answer 3.""");
        // The model was asked with the same bounded view.
        LlmRequest last = h.llm.requests().getLast();
        assertThat(last.messages()).filteredOn(UserMessage.class::isInstance).hasSize(2);
        h.hangUpAndAssertReleased();
    }

    @Test
    void summaryModelFoldsOldTurnsIntoARunningSummary() {
        CallHarness h = numberedTurns(4);
        h.settings.maxHistoryTurns(2);
        AtomicInteger summaries = new AtomicInteger();
        FakeLanguageModel summariser = FakeLanguageModel.builder(h.clock).timeToFirstToken(Latency.millis(50))
                .perToken(Duration.ZERO)
                .otherwise(request -> FakeReply.says("Summary " + summaries.incrementAndGet() + "."))
                .build();
        h.extra = b -> b.summaryModel(summariser);
        h.start();

        for (int i = 0; i < 4; i++) {
            h.speakMillis(600).silenceMillis(1500);
        }

        assertThat(summariser.requests()).hasSize(2);
        String firstRequest = ((UserMessage) summariser.requests().get(0).messages().get(1)).text();
        assertThat(firstRequest).contains("Summary so far:\n(none)").contains("Caller: Question 1.\nAgent: Answer 1.");
        String secondRequest = ((UserMessage) summariser.requests().get(1).messages().get(1)).text();
        assertThat(secondRequest).contains("Summary so far:\nSummary 1.").contains("Caller: Question 2.");
        assertThat(systemText(h)).endsWith("Summary of the conversation so far:\nSummary 2.");
        assertThat(h.callerMessages()).containsExactly("Question 3.", "Question 4.");
        h.hangUpAndAssertReleased();
        assertThat(summariser.openStreams()).isZero();
    }

    @Test
    void stalledSummaryModelFallsBackToTheExtractiveSummary() {
        CallHarness h = numberedTurns(3);
        h.settings.maxHistoryTurns(2);
        FakeLanguageModel summariser = FakeLanguageModel.builder(h.clock).otherwise(request -> FakeReply.stalls()).build();
        h.extra = b -> b.summaryModel(summariser);
        h.start();

        for (int i = 0; i < 3; i++) {
            h.speakMillis(600).silenceMillis(1500);
        }
        h.silenceMillis(1500);

        assertThat(summariser.openStreams()).isZero();
        assertThat(systemText(h)).endsWith("Summary of the conversation so far:\nCaller: Question 1.\nAgent: Answer 1.");
        h.hangUpAndAssertReleased();
    }

    @Test
    void historyStaysBoundedOverALongCall() {
        CallHarness h = numberedTurns(200);
        h.settings.maxHistoryTurns(4).maxSummaryChars(300).silenceTimeout(Duration.ofMinutes(5));
        h.start();

        for (int i = 0; i < 200; i++) {
            h.speakMillis(400).silenceMillis(1300);
        }

        assertThat(h.callerMessages()).hasSize(4).last().isEqualTo("Question 200.");
        assertThat(h.session.history()).hasSize(1 + 4 * 2);
        assertThat(systemText(h).length()).isLessThanOrEqualTo("You are a test agent.".length() + 40 + 300);
        assertThat(systemText(h)).contains("Caller: Question 196.");
        h.hangUpAndAssertReleased();
    }
}
