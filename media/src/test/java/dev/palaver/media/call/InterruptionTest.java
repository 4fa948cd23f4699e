package dev.palaver.media.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.fake.FakeReply;
import dev.palaver.media.fake.Latency;
import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.UserMessage;
import dev.palaver.media.transport.InMemoryTransport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterruptionTest {

    private static final String REPLY = "Sure. Your appointment is on Tuesday at 3:30 in the afternoon.";
    private static final String HEARD = "Sure. Your appointment is on Tuesday at 3:30 in the";

    /**
     * Timeline (virtual ms): the caller speaks 0–1000; the turn ends at 1500 (silence began at 1000, plus
     * 500 ms endpointing); the first token comes at 1700. "Sure." plays as frames 1800–1840 (800 samples,
     * padded to 3 frames); the second sentence (56 characters, 8960 samples, 28 frames) plays from 1900.
     * The caller cuts in at 2000 and has spoken 400 ms at the frame of 2380, when 25 frames of the second
     * sentence have been sent and the 25th has just started: 24 × 320 = 7680 of 8960 samples played,
     * 48 of its 56 characters, so the last whole word heard is "the".
     */
    private static CallHarness appointmentCall(String secondUtterance) {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("When is my appointment?", secondUtterance);
        h.llmScript.replies(FakeReply.says(REPLY));
        return h;
    }

    /** As above plus a third sentence of 62 characters, played 2460–3060: room to speak over it. */
    private static final String LONG_REPLY = REPLY + " Please arrive ten minutes early and bring your insurance card.";

    private static CallHarness longAppointmentCall(String secondUtterance) {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("When is my appointment?", secondUtterance);
        h.llmScript.replies(FakeReply.says(LONG_REPLY));
        return h;
    }

    @Test
    void interruptionMidSentenceKeepsExactlyTheWordsPlayed() {
        CallHarness h = appointmentCall("Wait, which Tuesday?");
        h.start();

        h.speakMillis(1000).silenceMillis(1000);
        assertThat(h.session.state()).isEqualTo(CallState.SPEAKING);
        h.speakMillis(400);

        assertThat(h.transport.clears()).isEqualTo(1);
        assertThat(h.lastAgentMessage()).isEqualTo(new AssistantMessage(HEARD, List.of(), true));
        assertThat(h.session.state()).isEqualTo(CallState.USER_SPEAKING);
        assertThat(h.llm.openStreams()).isZero();
        assertThat(h.tts.openSyntheses()).isZero();
        assertThat(h.events(CallEvent.CallerInterrupted.class)).singleElement()
                .extracting(CallEvent.CallerInterrupted::heardText).isEqualTo(HEARD);
        assertThat(h.events(CallEvent.TranscriptRecorded.class).getLast()).satisfies(t -> {
            assertThat(t.text()).isEqualTo(HEARD);
            assertThat(t.interrupted()).isTrue();
        });

        List<InMemoryTransport.Sent> sent = h.transport.sent();
        int clearAt = sent.indexOf(sent.stream().filter(InMemoryTransport.Clear.class::isInstance).findFirst().orElseThrow());
        assertThat(sent.subList(clearAt, sent.size())).noneMatch(InMemoryTransport.Audio.class::isInstance);

        h.speakMillis(400).silenceMillis(1000);
        assertThat(h.callerMessages()).containsExactly("When is my appointment?", "Wait, which Tuesday?");
        h.hangUpAndAssertReleased();
    }

    @Test
    void speechShorterThanTheInterruptionThresholdDoesNotInterrupt() {
        CallHarness h = longAppointmentCall("yes");
        h.start();

        h.speakMillis(1000).silenceMillis(1000).speakMillis(380).silenceMillis(2000);

        assertThat(h.transport.clears()).isZero();
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of(LONG_REPLY));
        assertThat(h.callerMessages()).containsExactly("When is my appointment?");
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.hangUpAndAssertReleased();
    }

    /** The noise stops at 2400, 20 ms after the interruption, and holds no words: say "afternoon." after all. */
    @Test
    void falseInterruptionResumesFromTheFirstUnheardWord() {
        CallHarness h = appointmentCall("");
        h.settings.falseInterruptionPolicy(FalseInterruptionPolicy.RESUME);
        h.start();

        h.speakMillis(1000).silenceMillis(1000).speakMillis(400).silenceMillis(2000);

        assertThat(h.tts.requests()).containsExactly("Sure.",
                "Your appointment is on Tuesday at 3:30 in the afternoon.", "afternoon.");
        assertThat(h.agentMessages()).containsExactly(
                new AssistantMessage(HEARD, List.of(), true), AssistantMessage.of("afternoon."));
        assertThat(h.callerMessages()).containsExactly("When is my appointment?");
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.hangUpAndAssertReleased();
    }

    @Test
    void falseInterruptionCanRepeatTheInterruptedSentence() {
        CallHarness h = appointmentCall("");
        h.settings.falseInterruptionPolicy(FalseInterruptionPolicy.REPEAT_SENTENCE);
        h.start();

        h.speakMillis(1000).silenceMillis(1000).speakMillis(400).silenceMillis(2500);

        assertThat(h.agentMessages()).containsExactly(
                new AssistantMessage(HEARD, List.of(), true),
                AssistantMessage.of("Your appointment is on Tuesday at 3:30 in the afternoon."));
        h.hangUpAndAssertReleased();
    }

    @Test
    void falseInterruptionCanJustListen() {
        CallHarness h = appointmentCall("");
        h.settings.falseInterruptionPolicy(FalseInterruptionPolicy.LISTEN);
        h.start();

        h.speakMillis(1000).silenceMillis(1000).speakMillis(400).silenceMillis(2000);

        assertThat(h.tts.requests()).hasSize(2);
        assertThat(h.agentMessages()).containsExactly(new AssistantMessage(HEARD, List.of(), true));
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.hangUpAndAssertReleased();
    }

    @Test
    void wordlessSpeechLastingPastTheWindowIsARealInterruption() {
        CallHarness h = appointmentCall("");
        h.settings.falseInterruptionWindow(Duration.ofMillis(1000));
        h.start();

        h.speakMillis(1000).silenceMillis(1000).speakMillis(1600).silenceMillis(2000);

        assertThat(h.tts.requests()).hasSize(2);
        assertThat(h.agentMessages()).containsExactly(new AssistantMessage(HEARD, List.of(), true));
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.hangUpAndAssertReleased();
    }

    @Test
    void backchannelDoesNotInterruptWhenConfigured() {
        CallHarness h = longAppointmentCall("uh-huh");
        h.settings.ignoreBackchannels(true);
        h.start();

        h.speakMillis(1000).silenceMillis(1000).speakMillis(600).silenceMillis(2000);

        assertThat(h.transport.clears()).isZero();
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of(LONG_REPLY));
        assertThat(h.callerMessages()).containsExactly("When is my appointment?");
        assertThat(h.llm.requests()).hasSize(1);
        h.hangUpAndAssertReleased();
    }

    @Test
    void backchannelInterruptsWhenNotConfigured() {
        CallHarness h = longAppointmentCall("uh-huh");
        h.settings.ignoreBackchannels(false);
        h.start();

        h.speakMillis(1000).silenceMillis(1000).speakMillis(600);

        assertThat(h.transport.clears()).isEqualTo(1);
        h.hangUpAndAssertReleased();
    }

    @Test
    void realWordsInterruptEvenWithBackchannelsIgnored() {
        CallHarness h = appointmentCall("Stop, that's wrong.");
        h.settings.ignoreBackchannels(true);
        h.start();

        h.speakMillis(1000).silenceMillis(1000).speakMillis(600);

        // The partial ("Stop,") arrived at 200 ms of speech; the interruption waited for 400 ms of it.
        assertThat(h.transport.clears()).isEqualTo(1);
        assertThat(h.lastAgentMessage().interrupted()).isTrue();
        h.silenceMillis(1000);
        assertThat(h.callerMessages()).containsExactly("When is my appointment?", "Stop, that's wrong.");
        h.hangUpAndAssertReleased();
    }

    @Test
    void longSpeechInterruptsBeforeItsWordsAreKnown() {
        CallHarness h = longAppointmentCall("Let me tell you a long story.");
        h.settings.ignoreBackchannels(true).backchannelMaxDuration(Duration.ofMillis(800));
        h.sttScript.partialAfter(null);
        h.start();

        h.speakMillis(1000).silenceMillis(800).speakMillis(780);
        assertThat(h.transport.clears()).isZero();
        h.speakMillis(20);
        assertThat(h.transport.clears()).isEqualTo(1);
        h.hangUpAndAssertReleased();
    }

    @Test
    void callerSpeakingWhileTheAgentThinksCancelsTheReplyAndContinuesTheTurn() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("I want Tuesday.", "Actually, make it Wednesday.");
        h.llmScript.timeToFirstToken(Latency.millis(1000))
                .replies(FakeReply.says("Tuesday it is."), FakeReply.says("Wednesday it is."));
        h.start();

        h.speakMillis(800).silenceMillis(600);
        assertThat(h.session.state()).isEqualTo(CallState.THINKING);
        h.speakMillis(600);
        assertThat(h.llm.openStreams()).isZero();
        assertThat(h.session.state()).isEqualTo(CallState.USER_SPEAKING);
        h.silenceMillis(3000);

        assertThat(h.conversation()).containsExactly(
                new UserMessage("I want Tuesday."),
                new UserMessage("Actually, make it Wednesday."),
                AssistantMessage.of("Wednesday it is."));
        h.hangUpAndAssertReleased();
    }

    @Test
    void wordlessNoiseWhileThinkingRestartsTheAnswer() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("What are your hours?", "");
        h.llmScript.timeToFirstToken(Latency.millis(1000))
                .replies(FakeReply.says("Never said."), FakeReply.says("Nine to five."));
        h.start();

        h.speakMillis(800).silenceMillis(600).speakMillis(500).silenceMillis(3000);

        assertThat(h.llm.requests()).hasSize(2);
        assertThat(h.llm.requests().get(1).messages()).isEqualTo(h.llm.requests().get(0).messages());
        assertThat(h.conversation()).containsExactly(
                new UserMessage("What are your hours?"), AssistantMessage.of("Nine to five."));
        h.hangUpAndAssertReleased();
    }

    @Test
    void greetingCanBeInterrupted() {
        CallHarness h = new CallHarness();
        h.settings.firstMessage("Welcome to the clinic. We can book, move or cancel appointments.");
        h.sttScript.transcripts("Cancel mine please.");
        h.llmScript.replies(FakeReply.says("Done."));
        h.start();

        h.silenceMillis(300).speakMillis(600).silenceMillis(2000);

        assertThat(h.transport.clears()).isEqualTo(1);
        assertThat(h.agentMessages().getFirst().interrupted()).isTrue();
        assertThat(h.conversation()).endsWith(new UserMessage("Cancel mine please."), AssistantMessage.of("Done."));
        h.hangUpAndAssertReleased();
    }

    @Test
    void keypressInterruptsAndTheKeysBecomeTheCallersInput() {
        CallHarness h = appointmentCall("");
        h.llmScript.replies(FakeReply.says("Option one selected."));
        h.start();

        h.speakMillis(1000).silenceMillis(1000);
        h.transport.receiveDtmf('1');
        h.silenceMillis(100);
        assertThat(h.transport.clears()).isEqualTo(1);
        assertThat(h.lastAgentMessage().interrupted()).isTrue();
        h.transport.receiveDtmf('#');
        h.silenceMillis(2000);

        assertThat(h.callerMessages()).containsExactly("When is my appointment?", "[DTMF] 1#");
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Option one selected."));
        h.hangUpAndAssertReleased();
    }

    @Test
    void marksFromAClearedReplyAreIgnored() {
        CallHarness h = new CallHarness(false);
        h.sttScript.transcripts("When is my appointment?", "Stop.");
        h.llmScript.replies(FakeReply.says(REPLY), FakeReply.says("Okay."));
        h.start();

        h.speakMillis(1000).silenceMillis(1000);
        assertThat(h.transport.pendingMarks()).hasSize(1);
        // The clear reports the pending mark as played (as Twilio does); the next reply must not count it.
        h.speakMillis(400).silenceMillis(1500);
        assertThat(h.session.state()).isEqualTo(CallState.SPEAKING);
        h.transport.playPendingMarks();
        h.silenceMillis(20);
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.hangUpAndAssertReleased();
    }
}
