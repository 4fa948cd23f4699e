package dev.palaver.media.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.call.CallEvent.Speaker;
import dev.palaver.media.call.CallEvent.TranscriptRecorded;
import dev.palaver.media.fake.FakeReply;
import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.SystemMessage;
import dev.palaver.media.llm.UserMessage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlainTurnTest {

    @Test
    void greetsThenAnswersOneTurn() {
        CallHarness h = new CallHarness();
        h.settings.firstMessage("Hello.");
        h.sttScript.transcripts("What time is it?");
        h.llmScript.replies(FakeReply.says("It is noon."));
        h.start();

        assertThat(h.session.state()).isEqualTo(CallState.GREETING);
        h.silenceMillis(400);
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Hello."));

        h.speakMillis(1000).silenceMillis(2000);

        // Every frame of the caller's speech went to the recogniser as it arrived.
        assertThat(h.stt.speechSamplesReceived()).isEqualTo(16_000);
        assertThat(h.conversation()).containsExactly(
                AssistantMessage.of("Hello."),
                new UserMessage("What time is it?"),
                AssistantMessage.of("It is noon."));
        assertThat(h.session.history().getFirst()).isEqualTo(new SystemMessage("You are a test agent."));
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.hangUpAndAssertReleased();
    }

    @Test
    void aSentenceSynthesizedAllAtOnceFitsTheMailboxAndPlaysWhole() {
        CallHarness h = new CallHarness();
        // 25 characters at 200 ms each: 5 s of greeting handed over as 250 pieces of 20 ms in one burst (as
        // flite does), far more events than this call's mailbox of 64 holds.
        h.settings.firstMessage("Hello there, and welcome.").mailboxCapacity(64);
        h.ttsScript.millisPerCharacter(200).pieceMillis(20).pieceInterval(Duration.ZERO);
        h.start();

        h.silenceMillis(6000);

        assertThat(h.session.isEnded()).as("the call survived the burst").isFalse();
        int played = h.transport.audioSent().stream().mapToInt(a -> a.samples().length).sum();
        assertThat(played).isEqualTo(h.tts.samplesFor("Hello there, and welcome."));
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Hello there, and welcome."));
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.hangUpAndAssertReleased();
    }

    @Test
    void withoutFirstMessageTheCallStartsListening() {
        CallHarness h = new CallHarness().start();
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        assertThat(h.tts.requests()).isEmpty();
        h.hangUpAndAssertReleased();
    }

    @Test
    void severalTurnsBuildTheConversationInOrder() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("One.", "Two.", "Three.");
        h.llmScript.replies(FakeReply.says("Uno."), FakeReply.says("Dos."), FakeReply.says("Tres."));
        h.start();

        for (int i = 0; i < 3; i++) {
            h.speakMillis(600).silenceMillis(1500);
        }

        assertThat(h.conversation()).containsExactly(
                new UserMessage("One."), AssistantMessage.of("Uno."),
                new UserMessage("Two."), AssistantMessage.of("Dos."),
                new UserMessage("Three."), AssistantMessage.of("Tres."));
        // The model saw the conversation so far on each turn.
        assertThat(h.llm.requests().get(2).messages()).containsSubsequence(
                new UserMessage("One."), AssistantMessage.of("Uno."), new UserMessage("Two."),
                AssistantMessage.of("Dos."), new UserMessage("Three."));
        h.hangUpAndAssertReleased();
    }

    @Test
    void turnWaitsForTheEndpointingDelayAfterTheLastWord() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("Hello there.");
        h.llmScript.replies(FakeReply.says("Hi."));
        h.start();

        // The last voiced frame arrives at 980: the caller has stopped by then (a frame arrives once its
        // 20 ms have been spoken), and the engine dates the silence there, whatever the detector's lag.
        h.speakMillis(1000).silenceMillis(460);
        assertThat(h.session.state()).isEqualTo(CallState.USER_SPEAKING);
        assertThat(h.llm.requests()).isEmpty();
        h.silenceMillis(40);
        assertThat(h.session.state()).isEqualTo(CallState.THINKING);
        assertThat(h.llm.requests()).hasSize(1);
        h.hangUpAndAssertReleased();
    }

    @Test
    void turnWaitsForTheFinalTranscriptEvenAfterTheSilence() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("Slow words.").finalLatency(dev.palaver.media.fake.Latency.millis(900));
        h.llmScript.replies(FakeReply.says("Okay."));
        h.start();

        // Silence from 1000, stop detected at 1180, final posted at 2080: later than 1000 + 500.
        h.speakMillis(1000).silenceMillis(1060);
        assertThat(h.session.state()).isEqualTo(CallState.USER_SPEAKING);
        h.silenceMillis(40);
        assertThat(h.session.state()).isEqualTo(CallState.THINKING);
        assertThat(h.callerMessages()).containsExactly("Slow words.");
        h.hangUpAndAssertReleased();
    }

    @Test
    void pauseShorterThanTheEndpointingDelayKeepsOneTurn() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("I need", "an appointment.");
        h.llmScript.replies(FakeReply.says("Sure."));
        h.start();

        h.speakMillis(600).silenceMillis(400).speakMillis(600).silenceMillis(1500);

        assertThat(h.callerMessages()).containsExactly("I need an appointment.");
        assertThat(h.llm.requests()).hasSize(1);
        h.hangUpAndAssertReleased();
    }

    @Test
    void noiseWithoutWordsIsNotATurn() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("");
        h.start();

        h.speakMillis(600).silenceMillis(1500);

        assertThat(h.llm.requests()).isEmpty();
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.hangUpAndAssertReleased();
    }

    @Test
    void multiSentenceReplyIsSynthesizedPieceByPieceWhileTheModelIsStillWriting() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("Tell me about the clinic.");
        h.llmScript.perToken(Duration.ofMillis(100)).replies(FakeReply.says(
                "We open at nine. Dr. Smith sees patients daily. Parking costs 3.50 an hour."));
        h.start();

        h.speakMillis(1000).silenceMillis(500);
        while (h.transport.framesSent() == 0) {
            h.silenceMillis(20);
        }
        // First audio is out while the model is still streaming the rest of the reply.
        assertThat(h.llm.openStreams()).isEqualTo(1);
        assertThat(h.tts.requests()).containsExactly("We open at nine.");

        h.silenceMillis(5000);
        assertThat(h.tts.requests()).containsExactly(
                "We open at nine.", "Dr. Smith sees patients daily.", "Parking costs 3.50 an hour.");
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of(
                "We open at nine. Dr. Smith sees patients daily. Parking costs 3.50 an hour."));
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.hangUpAndAssertReleased();
    }

    @Test
    void outputIsPacedOneFramePerTwentyMillisecondsWithAMarkPerPiece() {
        CallHarness h = new CallHarness();
        h.settings.firstMessage("Hello there. How are you?");
        h.start();

        h.silenceMillis(1000);

        // 12 + 12 characters at 10 ms each: 120 ms = 6 frames per sentence, each sentence ends with a mark.
        assertThat(h.transport.framesSent()).isEqualTo(12);
        assertThat(h.frameTimesMillis()).containsExactly(100L, 120L, 140L, 160L, 180L, 200L,
                220L, 240L, 260L, 280L, 300L, 320L);
        assertThat(h.transport.marksSent()).hasSize(2);
        assertThat(h.transport.sent().get(6)).isInstanceOf(dev.palaver.media.transport.InMemoryTransport.Mark.class);
        h.hangUpAndAssertReleased();
    }

    /**
     * Speech 0–1000; silence from 1000 is confirmed at 1180 and the final comes 100 ms later; the turn
     * ends at 1500; the first token at 1700, done at 1720 when the one-sentence reply is complete; audio
     * 100 ms after the synthesis request, first frame at 1820. On virtual time the engine takes no time
     * of its own, so all of the 820 ms is provider (and endpointing) time.
     */
    @Test
    void turnMetricsSplitLatencyIntoProviderTimeAndPlatformOverhead() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("What time is it?");
        h.llmScript.replies(FakeReply.says("It is noon."));
        h.start();

        h.speakMillis(1000).silenceMillis(2000);

        TurnMetrics m = h.events(CallEvent.TurnMeasured.class).getFirst().metrics();
        assertThat(m.turn()).isEqualTo(1);
        assertThat(m.endpointingDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(m.sttFinalLatency()).isEqualTo(Duration.ofMillis(100));
        assertThat(m.llmTimeToFirstToken()).isEqualTo(Duration.ofMillis(200));
        assertThat(m.ttsTimeToFirstByte()).isEqualTo(Duration.ofMillis(100));
        assertThat(m.firstAudioOut()).isEqualTo(Duration.ofMillis(820));
        assertThat(m.providerTime()).isEqualTo(Duration.ofMillis(820));
        assertThat(m.platformOverhead()).isEqualTo(Duration.ZERO);
        h.hangUpAndAssertReleased();
    }

    @Test
    void sinkReceivesTheCallAsItHappens() {
        CallHarness h = new CallHarness();
        h.settings.firstMessage("Hello.");
        h.sttScript.transcripts("Hi.");
        h.llmScript.replies(FakeReply.says("How can I help?"));
        h.start();

        h.silenceMillis(400).speakMillis(600).silenceMillis(2000);
        h.session.hangUp();
        h.clock.runDueTasks();

        assertThat(h.events.getFirst()).isEqualTo(new CallEvent.CallStarted("test", 0));
        assertThat(h.events(TranscriptRecorded.class)).extracting(TranscriptRecorded::speaker, TranscriptRecorded::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Speaker.AGENT, "Hello."),
                        org.assertj.core.groups.Tuple.tuple(Speaker.CALLER, "Hi."),
                        org.assertj.core.groups.Tuple.tuple(Speaker.AGENT, "How can I help?"));
        TranscriptRecorded caller = h.events(TranscriptRecorded.class).get(1);
        assertThat(caller.startMillis()).isEqualTo(400);
        assertThat(caller.endMillis()).as("the arrival of the last voiced frame").isEqualTo(980);
        assertThat(h.events.getLast()).isInstanceOf(CallEvent.CallEnded.class);
        assertThat(((CallEvent.CallEnded) h.events.getLast()).reason()).isEqualTo(EndReason.HANGUP_REQUESTED);
        assertThat(h.transport.hungUp()).isTrue();
    }
}
