package dev.palaver.media.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.fake.FakeLanguageModel;
import dev.palaver.media.fake.FakeReply;
import dev.palaver.media.fake.FakeSpeechToText;
import dev.palaver.media.fake.FakeTextToSpeech;
import dev.palaver.media.fake.Latency;
import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.media.llm.ToolResult;
import dev.palaver.media.transport.InMemoryTransport;
import dev.palaver.media.tts.TextToSpeech;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Silence, duration and provider watchdogs. Provider timelines: the caller speaks 0–1000, so the turn
 * ends at 1500; the stall timeout is 1.5 s. "Dead air" is measured from the end of the caller's speech.
 */
class WatchdogTest {

    private static final long SPEECH_END = 1000;

    private static CallHarness oneQuestion() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("Are you open today?");
        return h;
    }

    private static EndReason endReason(CallHarness h) {
        return ((CallEvent.CallEnded) h.events.getLast()).reason();
    }

    private static long firstFrameAfter(CallHarness h, long millis) {
        return h.frameTimesMillis().stream().filter(t -> t >= millis).findFirst().orElseThrow();
    }

    @Test
    void silentCallerIsRepromptedThenToldGoodbyeAndHungUpOn() {
        CallHarness h = new CallHarness();
        h.settings.silenceTimeout(Duration.ofSeconds(3)).maxReprompts(2)
                .repromptMessage("Are you still there?").goodbyeMessage("Goodbye for now.");
        h.start();

        h.silenceMillis(2980);
        assertThat(h.tts.requests()).isEmpty();
        h.silenceMillis(20);
        assertThat(h.tts.requests()).containsExactly("Are you still there?");
        h.silenceMillis(8000);
        assertThat(h.tts.requests()).containsExactly("Are you still there?", "Are you still there?", "Goodbye for now.");
        h.silenceMillis(1000);

        assertThat(h.agentMessages()).extracting(AssistantMessage::text)
                .containsExactly("Are you still there?", "Are you still there?", "Goodbye for now.");
        assertThat(endReason(h)).isEqualTo(EndReason.SILENCE_TIMEOUT);
        assertThat(h.transport.sent().getLast()).isInstanceOf(InMemoryTransport.HangUp.class);
        h.assertReleasedEverything();
    }

    @Test
    void callerSpeakingResetsTheReprompts() {
        CallHarness h = new CallHarness();
        h.settings.silenceTimeout(Duration.ofSeconds(3)).maxReprompts(1).repromptMessage("Hello?");
        h.sttScript.transcripts("Yes, sorry.");
        h.llmScript.replies(FakeReply.says("No problem."));
        h.start();

        h.silenceMillis(3500);
        h.speakMillis(600).silenceMillis(5000);

        assertThat(h.tts.requests()).containsExactly("Hello?", "No problem.", "Hello?");
        assertThat(h.session.isEnded()).isFalse();
        h.hangUpAndAssertReleased();
    }

    @Test
    void maximumDurationCutsTheAgentOffSaysGoodbyeAndHangsUp() {
        CallHarness h = oneQuestion();
        h.settings.maxDuration(Duration.ofMillis(2000)).maxDurationMessage("Time is up. Goodbye.");
        h.llmScript.replies(FakeReply.says("We are open from nine in the morning until late in the evening today."));
        h.start();

        h.speakMillis(1000).silenceMillis(3000);

        assertThat(h.transport.clears()).isEqualTo(1);
        List<AssistantMessage> agent = h.agentMessages();
        assertThat(agent.get(0).interrupted()).isTrue();
        assertThat(agent.get(1)).isEqualTo(AssistantMessage.of("Time is up. Goodbye."));
        assertThat(endReason(h)).isEqualTo(EndReason.MAX_DURATION);
        h.assertReleasedEverything();
    }

    @Test
    void stalledModelFailsOverToTheFallbackWithinThreeSeconds() {
        CallHarness h = oneQuestion();
        h.llmScript.replies(FakeReply.stalls());
        FakeLanguageModel fallback = FakeLanguageModel.builder(h.clock).timeToFirstToken(Latency.millis(200))
                .perToken(Duration.ofMillis(10)).replies(FakeReply.says("Yes, until six.")).build();
        h.extra = b -> b.fallbackLanguageModel(fallback);
        h.start();

        h.speakMillis(1000).silenceMillis(4000);

        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Yes, until six."));
        assertThat(fallback.requests()).singleElement()
                .isEqualTo(h.llm.requests().getFirst());
        assertThat(h.llm.openStreams()).isZero();
        assertThat(h.events(CallEvent.ErrorOccurred.class)).extracting(CallEvent.ErrorOccurred::component)
                .containsExactly("llm");
        long first = firstFrameAfter(h, SPEECH_END);
        assertThat(first - SPEECH_END).isLessThanOrEqualTo(3000);
        assertThat(h.longestDeadAirMillis(SPEECH_END, first)).isLessThanOrEqualTo(3000);
        h.hangUpAndAssertReleased();
        assertThat(fallback.openStreams()).isZero();
    }

    @Test
    void failingModelWithoutFallbackGetsAShortApology() {
        CallHarness h = oneQuestion();
        h.settings.apologyMessage("Sorry, please say that again.");
        h.llmScript.replies(FakeReply.fails("500 from upstream"));
        h.start();

        h.speakMillis(1000).silenceMillis(3000);

        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Sorry, please say that again."));
        assertThat(firstFrameAfter(h, SPEECH_END) - SPEECH_END).isLessThanOrEqualTo(3000);
        assertThat(h.events(CallEvent.ErrorOccurred.class)).singleElement()
                .extracting(CallEvent.ErrorOccurred::message).isEqualTo("500 from upstream");
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.hangUpAndAssertReleased();
    }

    @Test
    void stalledModelWithoutFallbackGetsAnApologyWithinThreeSeconds() {
        CallHarness h = oneQuestion();
        h.settings.apologyMessage("Sorry, please say that again.");
        h.llmScript.replies(FakeReply.stalls());
        h.start();

        h.speakMillis(1000).silenceMillis(4000);

        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Sorry, please say that again."));
        long first = firstFrameAfter(h, SPEECH_END);
        assertThat(first - SPEECH_END).isLessThanOrEqualTo(3000);
        assertThat(h.llm.openStreams()).isZero();
        h.hangUpAndAssertReleased();
    }

    @Test
    void modelStallingMidReplyKeepsWhatWasSaid() {
        CallHarness h = oneQuestion();
        h.llmScript.replies(FakeReply.says("Yes, we are open. ").thenStalls());
        h.start();

        h.speakMillis(1000).silenceMillis(4000);

        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Yes, we are open."));
        assertThat(h.tts.requests()).containsExactly("Yes, we are open.");
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.hangUpAndAssertReleased();
    }

    @Test
    void stalledSynthesisFailsOverToTheFallbackWithinThreeSeconds() {
        CallHarness h = oneQuestion();
        h.llmScript.replies(FakeReply.says("Yes, until six."));
        h.ttsScript.stallWhen(text -> true);
        FakeTextToSpeech fallback = FakeTextToSpeech.builder(h.clock).timeToFirstByte(Latency.millis(100))
                .millisPerCharacter(10).build();
        h.extra = b -> b.fallbackTextToSpeech(fallback);
        h.start();

        h.speakMillis(1000).silenceMillis(4000);

        assertThat(fallback.requests()).containsExactly("Yes, until six.");
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Yes, until six."));
        assertThat(h.tts.openSyntheses()).isZero();
        long first = firstFrameAfter(h, SPEECH_END);
        assertThat(first - SPEECH_END).isLessThanOrEqualTo(3000);
        h.hangUpAndAssertReleased();
        assertThat(fallback.openSyntheses()).isZero();
    }

    @Test
    void failingSynthesisWithoutFallbackApologisesInsteadOfTheReply() {
        CallHarness h = oneQuestion();
        h.settings.apologyMessage("Sorry, something went wrong.");
        h.llmScript.replies(FakeReply.says("Yes, until six. Walk-ins are welcome."));
        h.ttsScript.failWhen(text -> text.startsWith("Yes"));
        h.start();

        h.speakMillis(1000).silenceMillis(3000);

        assertThat(h.tts.requests()).containsExactly("Yes, until six.", "Sorry, something went wrong.");
        assertThat(h.agentMessages()).containsExactly(AssistantMessage.of("Sorry, something went wrong."));
        assertThat(firstFrameAfter(h, SPEECH_END) - SPEECH_END).isLessThanOrEqualTo(3000);
        h.hangUpAndAssertReleased();
    }

    @Test
    void synthesisThatCannotEvenApologiseEndsTheCall() {
        CallHarness h = oneQuestion();
        h.llmScript.replies(FakeReply.says("Yes, until six."));
        h.ttsScript.failWhen(text -> true);
        h.start();

        h.speakMillis(1000).silenceMillis(3000);

        assertThat(endReason(h)).isEqualTo(EndReason.PROVIDER_FAILURE);
        h.assertReleasedEverything();
    }

    @Test
    void stalledRecognitionReplaysTheTurnIntoTheFallback() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("never heard").stallOnUtterance(0);
        FakeSpeechToText fallback = FakeSpeechToText.builder(h.clock).finalLatency(Latency.millis(100))
                .transcripts("Are you open today?").build();
        h.extra = b -> b.fallbackSpeechToText(fallback);
        h.llmScript.replies(FakeReply.says("Yes."));
        h.start();

        h.speakMillis(1000).silenceMillis(4000);

        assertThat(h.callerMessages()).containsExactly("Are you open today?");
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Yes."));
        // The whole second of speech was replayed into the fallback, which heard nothing live.
        assertThat(fallback.speechSamplesReceived()).isEqualTo(16_000);
        assertThat(h.stt.openStreams()).isZero();
        assertThat(fallback.openStreams()).isEqualTo(1);
        assertThat(firstFrameAfter(h, SPEECH_END) - SPEECH_END).isLessThanOrEqualTo(3000);
        h.hangUpAndAssertReleased();
        assertThat(fallback.openStreams()).isZero();
    }

    @Test
    void failedRecognitionWithoutFallbackAsksTheCallerToRepeat() {
        CallHarness h = new CallHarness();
        h.settings.notHeardMessage("Sorry, I didn't catch that.");
        h.sttScript.transcripts("lost").failOnUtterance(0);
        h.start();

        h.speakMillis(1000).silenceMillis(2000);

        assertThat(h.agentMessages()).containsExactly(AssistantMessage.of("Sorry, I didn't catch that."));
        assertThat(h.callerMessages()).isEmpty();
        assertThat(h.stt.streamsOpened()).isEqualTo(2);
        assertThat(h.stt.openStreams()).isEqualTo(1);
        assertThat(firstFrameAfter(h, SPEECH_END) - SPEECH_END).isLessThanOrEqualTo(3000);
        h.hangUpAndAssertReleased();
    }

    @Test
    void repeatedProviderFailuresEndTheCall() {
        CallHarness h = new CallHarness();
        h.settings.maxConsecutiveFailures(2);
        h.sttScript.transcripts("One?", "Two?");
        h.llmScript.otherwise(request -> FakeReply.fails("down"));
        h.start();

        h.speakMillis(800).silenceMillis(2500);
        assertThat(h.session.isEnded()).isFalse();
        h.speakMillis(800).silenceMillis(2500);

        assertThat(endReason(h)).isEqualTo(EndReason.PROVIDER_FAILURE);
        h.assertReleasedEverything();
    }

    @Test
    void successfulReplyResetsTheFailureCount() {
        CallHarness h = new CallHarness();
        h.settings.maxConsecutiveFailures(2);
        h.sttScript.transcripts("One?", "Two?", "Three?");
        h.llmScript.replies(FakeReply.fails("down"), FakeReply.says("Fine."), FakeReply.fails("down"));
        h.start();

        for (int i = 0; i < 3; i++) {
            h.speakMillis(800).silenceMillis(2500);
        }

        assertThat(h.session.isEnded()).isFalse();
        h.hangUpAndAssertReleased();
    }

    @Test
    void slowToolGetsAFillerSoTheCallerIsNotLeftInSilence() {
        CallHarness h = oneQuestion();
        h.settings.fillerAfter(Duration.ofSeconds(2)).fillerMessage("One moment, please.");
        h.toolScript.tool(new ToolDefinition("check_hours", "Opening hours", "{}", Duration.ofSeconds(5)),
                Latency.millis(3000), args -> ToolResult.ok("9-18"));
        h.llmScript.replies(FakeReply.callsTool("c1", "check_hours", "{}"), FakeReply.says("Until six."));
        h.start();

        h.speakMillis(1000).silenceMillis(6000);

        assertThat(h.tts.requests()).containsExactly("One moment, please.", "Until six.");
        assertThat(h.agentMessages()).extracting(AssistantMessage::text).containsExactly("One moment, please.", "Until six.");
        long end = h.frameTimesMillis().getLast();
        assertThat(h.longestDeadAirMillis(SPEECH_END, end)).isLessThanOrEqualTo(3000);
        h.hangUpAndAssertReleased();
    }

    @Test
    void replyCompletesWhenItsLastMarkIsPlayed() {
        CallHarness h = new CallHarness(false);
        h.settings.firstMessage("Hello.");
        h.start();

        h.silenceMillis(300);
        assertThat(h.session.state()).isEqualTo(CallState.GREETING);
        h.transport.playPendingMarks();
        h.silenceMillis(20);
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.hangUpAndAssertReleased();
    }

    @Test
    void replyCompletesAnywayWhenTheTransportNeverReportsTheMark() {
        CallHarness h = new CallHarness(false);
        h.settings.firstMessage("Hello.").markGrace(Duration.ofMillis(1000));
        h.start();

        // Last frame at 140 ms; the mark is sent then and never comes back.
        h.silenceMillis(1120);
        assertThat(h.session.state()).isEqualTo(CallState.GREETING);
        h.silenceMillis(40);
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Hello."));
        h.hangUpAndAssertReleased();
    }

    @Test
    void fallbackModelServesTheRestOfTheCall() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("One?", "Two?");
        h.llmScript.replies(FakeReply.fails("down"));
        FakeLanguageModel fallback = FakeLanguageModel.builder(h.clock).timeToFirstToken(Latency.millis(100))
                .replies(FakeReply.says("First."), FakeReply.says("Second.")).build();
        h.extra = b -> b.fallbackLanguageModel(fallback);
        h.start();

        h.speakMillis(600).silenceMillis(2000).speakMillis(600).silenceMillis(2000);

        assertThat(h.llm.requests()).hasSize(1);
        assertThat(fallback.requests()).hasSize(2);
        assertThat(h.agentMessages()).extracting(AssistantMessage::text).containsExactly("First.", "Second.");
        h.hangUpAndAssertReleased();
    }

    @Test
    void recogniserThatCannotOpenIsReplacedByTheFallback() {
        CallHarness h = new CallHarness();
        FakeSpeechToText fallback = FakeSpeechToText.builder(h.clock).transcripts("Hello?").build();
        h.llmScript.replies(FakeReply.says("Hi."));
        h.extra = b -> b.speechToText(listener -> {
            throw new IllegalStateException("401 unauthorized");
        }).fallbackSpeechToText(fallback);
        h.start();

        h.speakMillis(600).silenceMillis(2000);

        assertThat(h.callerMessages()).containsExactly("Hello?");
        assertThat(h.events(CallEvent.ErrorOccurred.class)).extracting(CallEvent.ErrorOccurred::message)
                .containsExactly("401 unauthorized");
        h.session.hangUp();
        h.clock.runDueTasks();
        assertThat(fallback.openStreams()).isZero();
    }

    @Test
    void callWithNoWorkingRecogniserEnds() {
        CallHarness h = new CallHarness();
        h.settings.firstMessage("Hello.");
        h.extra = b -> b.speechToText(listener -> {
            throw new IllegalStateException("401 unauthorized");
        });
        h.start();

        assertThat(endReason(h)).isEqualTo(EndReason.PROVIDER_FAILURE);
        assertThat(h.transport.hungUp()).isTrue();
        assertThat(h.tts.requests()).isEmpty();
        assertThat(h.clock.pendingTasks()).isZero();
    }

    @Test
    void synthesisFailingMidPieceKeepsWhatArrivedAndCarriesOn() {
        CallHarness h = oneQuestion();
        h.llmScript.replies(FakeReply.says("Yes, we are. Until six."));
        TextToSpeech halfBroken = (text, listener) -> {
            h.clock.schedule(Duration.ofMillis(50), () -> {
                listener.onAudio(new short[1600]);
                if (text.startsWith("Yes")) {
                    listener.onError("connection reset");
                } else {
                    listener.onDone();
                }
            });
            return () -> { };
        };
        h.extra = b -> b.textToSpeech(halfBroken);
        h.start();

        h.speakMillis(1000).silenceMillis(2000);

        assertThat(h.transport.framesSent()).isEqualTo(10);
        assertThat(h.events(CallEvent.ErrorOccurred.class)).extracting(CallEvent.ErrorOccurred::component)
                .containsExactly("tts");
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.session.hangUp();
        h.clock.runDueTasks();
        assertThat(h.session.diagnostics().openProviderStreams()).isZero();
    }

    @Test
    void goodbyeCannotBeInterrupted() {
        CallHarness h = new CallHarness();
        h.settings.silenceTimeout(Duration.ofSeconds(1)).maxReprompts(0)
                .goodbyeMessage("Thank you for calling, have a wonderful day, goodbye.");
        h.sttScript.transcripts("Wait!");
        h.start();

        h.silenceMillis(1200).speakMillis(600).silenceMillis(1000);

        assertThat(h.transport.clears()).isZero();
        assertThat(endReason(h)).isEqualTo(EndReason.SILENCE_TIMEOUT);
        assertThat(h.lastAgentMessage()).isEqualTo(
                AssistantMessage.of("Thank you for calling, have a wonderful day, goodbye."));
        h.assertReleasedEverything();
    }

    @Test
    void fillerRepeatsWhileTheWaitGoesOn() {
        CallHarness h = oneQuestion();
        h.settings.fillerAfter(Duration.ofSeconds(2)).fillerMessage("One moment.");
        h.toolScript.tool(new ToolDefinition("check_hours", "Opening hours", "{}", Duration.ofSeconds(10)),
                Latency.millis(6000), args -> ToolResult.ok("9-18"));
        h.llmScript.replies(FakeReply.callsTool("c1", "check_hours", "{}"), FakeReply.says("Until six."));
        h.start();

        h.speakMillis(1000).silenceMillis(9000);

        assertThat(h.tts.requests()).containsExactly("One moment.", "One moment.", "One moment.", "Until six.");
        long end = h.frameTimesMillis().getLast();
        assertThat(h.longestDeadAirMillis(SPEECH_END, end)).isLessThanOrEqualTo(3000);
        h.hangUpAndAssertReleased();
    }
}
