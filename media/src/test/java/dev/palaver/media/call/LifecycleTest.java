package dev.palaver.media.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.fake.FakeReply;
import dev.palaver.media.fake.Latency;
import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.media.transport.InMemoryTransport;
import dev.palaver.media.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    private static EndReason endReason(CallHarness h) {
        return ((CallEvent.CallEnded) h.events.getLast()).reason();
    }

    @Test
    void hangUpWhileThinkingClosesTheModelStream() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("Hello?");
        h.llmScript.replies(FakeReply.stalls());
        h.start();

        h.speakMillis(800).silenceMillis(700);
        assertThat(h.session.state()).isEqualTo(CallState.THINKING);
        assertThat(h.llm.openStreams()).isEqualTo(1);

        h.hangUpAndAssertReleased();
        assertThat(endReason(h)).isEqualTo(EndReason.HANGUP_REQUESTED);
        assertThat(h.transport.hungUp()).isTrue();
    }

    @Test
    void hangUpWhileAToolRunsCancelsItAndClosesEverything() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("Book me in.");
        h.toolScript.silentTool(new ToolDefinition("book", "Books", "{}", Duration.ofSeconds(30)));
        h.llmScript.replies(FakeReply.says("Booking now. ").thenCallsTool("c1", "book", "{}"));
        h.start();

        h.speakMillis(800).silenceMillis(1200);
        assertThat(h.tools.pendingCalls()).isEqualTo(1);

        h.hangUpAndAssertReleased();
        assertThat(h.tools.cancelledCalls()).isEqualTo(1);
        // The words heard and the unanswered call stay on record.
        assertThat(h.agentMessages()).singleElement().satisfies(m -> {
            assertThat(m.text()).isEqualTo("Booking now.");
            assertThat(m.toolCalls()).hasSize(1);
        });
    }

    @Test
    void hangUpWhileSpeakingKeepsTheWordsHeard() {
        CallHarness h = new CallHarness();
        h.settings.firstMessage("Welcome to the clinic. How can I help?");
        h.start();

        h.silenceMillis(200);
        h.hangUpAndAssertReleased();

        // 100 ms of the 220 ms first sentence had been sent by 200: "Welcome to" at most.
        assertThat(h.lastAgentMessage().text()).isEqualTo("Welcome to");
        assertThat(h.lastAgentMessage().interrupted()).isTrue();
    }

    @Test
    void callerHangingUpEndsTheCallWithoutAHangUpFromUs() {
        CallHarness h = new CallHarness();
        h.settings.firstMessage("Hello.");
        h.start();

        h.silenceMillis(100);
        h.transport.closeByCaller();
        h.clock.runDueTasks();

        assertThat(endReason(h)).isEqualTo(EndReason.CALLER_HUNG_UP);
        assertThat(h.transport.hungUp()).isFalse();
        h.assertReleasedEverything();
    }

    @Test
    void callerHangingUpMidTurnStillRecordsTheirWords() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("I wanted to ask");
        h.start();

        h.speakMillis(800).silenceMillis(400);
        h.transport.closeByCaller();
        h.clock.runDueTasks();

        assertThat(h.events(CallEvent.TranscriptRecorded.class)).singleElement()
                .extracting(CallEvent.TranscriptRecorded::text).isEqualTo("I wanted to ask");
        h.assertReleasedEverything();
    }

    @Test
    void endingIsIdempotent() {
        CallHarness h = new CallHarness().start();

        h.session.hangUp();
        h.session.hangUp();
        h.transport.closeByCaller();
        h.clock.runDueTasks();
        h.session.hangUp();
        h.clock.runDueTasks();

        assertThat(h.events(CallEvent.CallEnded.class)).hasSize(1);
        assertThat(h.transport.sent()).filteredOn(InMemoryTransport.HangUp.class::isInstance).hasSize(1);
        h.assertReleasedEverything();
    }

    @Test
    void keysReachTheAgentAsInputAfterAPause() {
        CallHarness h = new CallHarness();
        h.settings.dtmfTimeout(Duration.ofSeconds(2));
        h.llmScript.replies(FakeReply.says("Account 123 found."));
        h.start();

        h.transport.receiveDtmf('1');
        h.silenceMillis(500);
        h.transport.receiveDtmf('2');
        h.silenceMillis(500);
        h.transport.receiveDtmf('3');
        h.silenceMillis(1980);
        assertThat(h.llm.requests()).isEmpty();
        h.silenceMillis(1000);

        assertThat(h.callerMessages()).containsExactly("[DTMF] 123");
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Account 123 found."));
        TurnMetrics metrics = h.events(CallEvent.TurnMeasured.class).getFirst().metrics();
        assertThat(metrics.sttFinalLatency()).isNull();
        assertThat(metrics.endpointingDelay()).isEqualTo(Duration.ofSeconds(2));
        h.hangUpAndAssertReleased();
    }

    @Test
    void hashKeyEndsKeyedInputAtOnce() {
        CallHarness h = new CallHarness();
        h.llmScript.replies(FakeReply.says("Thanks."));
        h.start();

        h.transport.receiveDtmf('4');
        h.transport.receiveDtmf('#');
        h.clock.runDueTasks();

        assertThat(h.callerMessages()).containsExactly("[DTMF] 4#");
        assertThat(h.session.state()).isEqualTo(CallState.THINKING);
        h.hangUpAndAssertReleased();
    }

    @Test
    void inboundAudioIsDroppedWhenTheMailboxIsNearlyFull() {
        CallHarness h = new CallHarness();
        h.settings.mailboxCapacity(8);
        h.start();

        for (int i = 0; i < 10; i++) {
            h.transport.receiveAudio(new short[AudioFormat.SAMPLES_PER_FRAME]);
        }
        assertThat(h.session.diagnostics().droppedAudioFrames()).isEqualTo(4);
        h.clock.runDueTasks();

        assertThat(h.session.isEnded()).isFalse();
        h.hangUpAndAssertReleased();
    }

    @Test
    void mailboxOverflowOfControlEventsEndsTheCall() {
        CallHarness h = new CallHarness();
        h.settings.mailboxCapacity(8);
        h.start();

        for (int i = 0; i < 10; i++) {
            h.transport.receiveDtmf('1');
        }
        h.clock.runDueTasks();

        assertThat(endReason(h)).isEqualTo(EndReason.ERROR);
        assertThat(h.events(CallEvent.ErrorOccurred.class)).extracting(CallEvent.ErrorOccurred::message)
                .anyMatch(m -> m.contains("mailbox overflow"));
    }

    @Test
    void throwingSinkDoesNotBreakTheCall() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("Hi.");
        h.llmScript.replies(FakeReply.says("Hello."));
        h.extra = b -> b.sink(event -> {
            throw new IllegalStateException("database is down");
        });
        h.start();

        h.speakMillis(600).silenceMillis(2000);

        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Hello."));
        h.session.hangUp();
        h.clock.runDueTasks();
        assertThat(h.session.isEnded()).isTrue();
    }

    @Test
    void transportFailureEndsTheCallAndReleasesEverything() {
        CallHarness h = new CallHarness();
        h.settings.firstMessage("Hello.");
        Transport broken = new Transport() {
            @Override
            public void start(Listener listener) {
                h.transport.start(listener);
            }

            @Override
            public void sendAudio(short[] frame) {
                throw new IllegalStateException("socket closed");
            }

            @Override
            public void sendMark(String name) {
                h.transport.sendMark(name);
            }

            @Override
            public void clear() {
                h.transport.clear();
            }

            @Override
            public void sendDtmf(String digits) {
                h.transport.sendDtmf(digits);
            }

            @Override
            public void hangUp() {
                h.transport.hangUp();
            }
        };
        h.extra = b -> b.transport(broken);
        h.start();

        h.silenceMillis(200);

        assertThat(endReason(h)).isEqualTo(EndReason.ERROR);
        assertThat(h.session.diagnostics().openProviderStreams()).isZero();
        assertThat(h.stt.openStreams()).isZero();
        assertThat(h.tts.openSyntheses()).isZero();
        assertThat(h.clock.pendingTasks()).isZero();
    }

    @Test
    void modelThatThrowsWhenCalledIsTreatedAsAFailure() {
        CallHarness h = new CallHarness();
        h.settings.apologyMessage("Sorry.");
        h.sttScript.transcripts("Hi.");
        LanguageModel throwing = (request, listener) -> {
            throw new IllegalStateException("connection refused");
        };
        h.extra = b -> b.languageModel(throwing);
        h.start();

        h.speakMillis(600).silenceMillis(2000);

        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Sorry."));
        assertThat(h.events(CallEvent.ErrorOccurred.class)).extracting(CallEvent.ErrorOccurred::message)
                .containsExactly("connection refused");
        h.hangUpAndAssertReleased();
    }

    @Test
    void replyLongerThanTheLimitIsCutOff() {
        CallHarness h = new CallHarness();
        h.settings.maxReplyChars(40);
        h.sttScript.transcripts("Tell me everything.");
        h.llmScript.replies(FakeReply.says("First sentence is short. Second sentence goes past the limit. Third."));
        h.start();

        h.speakMillis(600).silenceMillis(3000);

        assertThat(h.llm.openStreams()).isZero();
        // "sentence " would take the reply to 41 characters: it and everything after is dropped.
        assertThat(h.lastAgentMessage().text()).isEqualTo("First sentence is short. Second");
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.hangUpAndAssertReleased();
    }

    @Test
    void synthesisStaysABoundedDistanceAheadOfPlayback() {
        CallHarness h = new CallHarness();
        h.settings.maxBufferedAudio(Duration.ofMillis(500));
        h.sttScript.transcripts("Read me the list.");
        StringBuilder reply = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            reply.append("Item number ").append(i).append(" is ready. ");
        }
        h.llmScript.perToken(Duration.ZERO).replies(FakeReply.says(reply.toString().strip()));
        h.start();

        h.speakMillis(600).silenceMillis(1100);
        long maxBuffered = 0;
        List<Integer> requestsSeen = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            h.silenceMillis(20);
            maxBuffered = Math.max(maxBuffered, h.session.diagnostics().bufferedOutputSamples());
            requestsSeen.add(h.tts.requests().size());
        }

        // At most the limit plus the piece being synthesized (at most 23 characters: 230 ms).
        assertThat(maxBuffered).isLessThanOrEqualTo(16 * (500 + 230));
        assertThat(requestsSeen.getFirst()).isLessThan(20);
        assertThat(h.tts.requests()).hasSize(20);
        assertThat(h.lastAgentMessage().text()).isEqualTo(reply.toString().strip());
        h.hangUpAndAssertReleased();
    }

    @Test
    void callerInputIsBounded() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("ab".repeat(1500));
        h.llmScript.replies(FakeReply.says("Okay."), FakeReply.says("Okay."));
        h.start();

        h.speakMillis(600).silenceMillis(2000);
        for (int i = 0; i < 40; i++) {
            h.transport.receiveDtmf('7');
        }
        h.transport.receiveDtmf('#');
        h.silenceMillis(2000);

        assertThat(h.callerMessages().get(0)).hasSize(2000);
        assertThat(h.callerMessages().get(1)).isEqualTo("[DTMF] " + "7".repeat(32));
        h.hangUpAndAssertReleased();
    }

    @Test
    void toolResultsAreBounded() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("Read me everything.");
        h.toolScript.tool(new ToolDefinition("dump", "Dumps", "{}"), Latency.millis(10),
                args -> dev.palaver.media.llm.ToolResult.ok("x".repeat(10_000)));
        h.llmScript.replies(FakeReply.callsTool("c1", "dump", "{}"), FakeReply.says("That's a lot."));
        h.start();

        h.speakMillis(600).silenceMillis(2000);

        assertThat(h.llm.requests().get(1).messages().getLast())
                .isInstanceOfSatisfying(dev.palaver.media.llm.ToolMessage.class,
                        m -> assertThat(m.content()).hasSize(4000));
        h.hangUpAndAssertReleased();
    }
}
