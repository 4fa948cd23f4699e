package dev.palaver.media.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palaver.media.call.Mailbox.Envelope;
import dev.palaver.media.call.SessionEvent.AudioReceived;
import dev.palaver.media.call.SessionEvent.DtmfReceived;
import dev.palaver.media.call.SessionEvent.TimerFired;
import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.SystemMessage;
import dev.palaver.media.llm.UserMessage;
import dev.palaver.media.time.VirtualScheduler;
import dev.palaver.media.vad.VoiceActivityDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The call's building blocks, one at a time. */
class ComponentsTest {

    // ---- state machine

    @Test
    void stateMachineFollowsTheCallAndRefusesInvalidTransitions() {
        StateMachine machine = new StateMachine("c");
        for (CallState next : List.of(CallState.GREETING, CallState.LISTENING, CallState.USER_SPEAKING,
                CallState.THINKING, CallState.SPEAKING, CallState.THINKING, CallState.SPEAKING,
                CallState.USER_SPEAKING, CallState.LISTENING, CallState.ENDED)) {
            assertThat(machine.moveTo(next)).as("-> %s", next).isTrue();
        }
        assertThat(machine.invalidTransitions()).isZero();

        assertThat(machine.moveTo(CallState.LISTENING)).isFalse();
        assertThat(machine.state()).isEqualTo(CallState.ENDED);
        assertThat(machine.invalidTransitions()).isEqualTo(1);

        StateMachine other = new StateMachine("d");
        other.moveTo(CallState.LISTENING);
        assertThat(other.moveTo(CallState.GREETING)).isFalse();
        assertThat(other.state()).isEqualTo(CallState.LISTENING);
    }

    // ---- mailbox

    @Test
    void mailboxKeepsItsLastQuarterForControlEvents() {
        Mailbox mailbox = new Mailbox(8);
        int audioTaken = 0;
        for (int i = 0; i < 10; i++) {
            audioTaken += mailbox.offer(new Envelope(new AudioReceived(new short[320]), 0)) ? 1 : 0;
        }
        assertThat(audioTaken).isEqualTo(6);
        assertThat(mailbox.droppedAudio()).isEqualTo(4);
        assertThat(mailbox.offer(new Envelope(new DtmfReceived('1'), 0))).isTrue();
        assertThat(mailbox.offer(new Envelope(new DtmfReceived('2'), 0))).isTrue();
        assertThat(mailbox.offer(new Envelope(new DtmfReceived('3'), 0))).isFalse();
        assertThat(mailbox.poll().event()).isInstanceOf(AudioReceived.class);
        mailbox.clear();
        assertThat(mailbox.size()).isZero();
    }

    // ---- timers

    @Test
    void timerFiringAfterItWasReArmedIsStale() {
        VirtualScheduler clock = new VirtualScheduler();
        List<TimerFired> fired = new ArrayList<>();
        Timers timers = new Timers(clock, fired::add);
        timers.arm(TimerKind.ENDPOINT, Duration.ofMillis(10));
        clock.advance(Duration.ofMillis(10));
        TimerFired stale = fired.getFirst();
        timers.arm(TimerKind.ENDPOINT, Duration.ofMillis(10));

        assertThat(timers.take(stale)).isFalse();
        clock.advance(Duration.ofMillis(10));
        assertThat(timers.take(fired.get(1))).isTrue();
        assertThat(timers.isArmed(TimerKind.ENDPOINT)).isFalse();

        timers.arm(TimerKind.SILENCE, Duration.ofMillis(10));
        timers.arm(TimerKind.TOOL, "call-1", Duration.ofMillis(10));
        assertThat(timers.armedCount()).isEqualTo(2);
        timers.cancelAll();
        assertThat(timers.armedCount()).isZero();
        assertThat(clock.pendingTasks()).isZero();
    }

    // ---- turn detector

    /** A detector whose probability is the window's first sample divided by 100. */
    private static final class ScriptedVad implements VoiceActivityDetector {
        @Override
        public int windowSamples() {
            return 512;
        }

        @Override
        public float speechProbability(short[] samples, int offset) {
            return samples[offset] / 100f;
        }

        @Override
        public void reset() {
        }

        @Override
        public void close() {
        }
    }

    private final List<String> transitions = new ArrayList<>();
    private final TurnDetector.Transitions recorder = new TurnDetector.Transitions() {
        @Override
        public void speechStarted(long onsetNanos) {
            transitions.add("start@" + onsetNanos / 1_000_000);
        }

        @Override
        public void speechStopped(long silenceOnsetNanos) {
            transitions.add("stop@" + silenceOnsetNanos / 1_000_000);
        }
    };

    /** Feeds 20 ms frames of constant "probability" (percent), timestamped from {@code startMs}. */
    private static long feed(TurnDetector detector, TurnDetector.Transitions out, long startMs, int percent, int frames) {
        long t = startMs;
        for (int i = 0; i < frames; i++) {
            short[] frame = new short[320];
            Arrays.fill(frame, (short) percent);
            detector.accept(frame, t * 1_000_000, out);
            t += 20;
        }
        return t;
    }

    private TurnDetector detector() {
        CallSettings settings = CallSettings.builder().vadThresholds(0.6f, 0.3f)
                .minSpeech(Duration.ofMillis(96)).minSilence(Duration.ofMillis(192)).build();
        return new TurnDetector(new ScriptedVad(), settings);
    }

    @Test
    void turnDetectorCutsFramesIntoTheDetectorsWindowsAndNeedsMinimumSpeech() {
        TurnDetector detector = detector();
        // 32 ms windows from 20 ms frames; 96 ms of speech = 3 windows.
        long t = feed(detector, recorder, 0, 90, 2);
        assertThat(transitions).isEmpty();
        feed(detector, recorder, t, 90, 3);
        assertThat(transitions).containsExactly("start@20");
        assertThat(detector.speaking()).isTrue();
    }

    @Test
    void turnDetectorIgnoresBlipsShorterThanTheMinimumSpeech() {
        TurnDetector detector = detector();
        long t = feed(detector, recorder, 0, 90, 3);
        t = feed(detector, recorder, t, 0, 5);
        feed(detector, recorder, t, 90, 3);
        assertThat(transitions).isEmpty();
    }

    @Test
    void turnDetectorHasHysteresisBetweenItsThresholds() {
        TurnDetector detector = detector();
        long t = feed(detector, recorder, 0, 90, 8);
        // 0.45 is below the start threshold but above the stop threshold: speech goes on.
        t = feed(detector, recorder, t, 45, 30);
        assertThat(transitions).containsExactly("start@20");
        t = feed(detector, recorder, t, 10, 12);
        assertThat(transitions).hasSize(2).last().asString().startsWith("stop@");
        // And 0.45 does not start speech from silence.
        feed(detector, recorder, t, 45, 30);
        assertThat(transitions).hasSize(2);
    }

    // ---- heard text and backchannels

    @Test
    void wordsHeardAreWholeWordsInProportionToTheAudioPlayed() {
        String text = "Your appointment is on Tuesday.";
        assertThat(HeardText.prefix(text, 0, 100)).isEmpty();
        assertThat(HeardText.prefix(text, 10, 100)).isEmpty();
        assertThat(HeardText.prefix(text, 20, 100)).isEqualTo("Your");
        assertThat(HeardText.prefix(text, 60, 100)).isEqualTo("Your appointment");
        assertThat(HeardText.prefix(text, 62, 100)).isEqualTo("Your appointment is");
        assertThat(HeardText.prefix(text, 99, 100)).isEqualTo("Your appointment is on");
        assertThat(HeardText.prefix(text, 100, 100)).isEqualTo(text);
        assertThat(HeardText.join(List.of("One.", " ", "Two "))).isEqualTo("One. Two");
    }

    @Test
    void backchannelsAreListenerNoisesOnly() {
        assertThat(Backchannels.hasSubstance("Uh-huh.", CallSettings.DEFAULT_BACKCHANNELS)).isFalse();
        assertThat(Backchannels.hasSubstance("okay, yeah", CallSettings.DEFAULT_BACKCHANNELS)).isFalse();
        assertThat(Backchannels.hasSubstance("I see", CallSettings.DEFAULT_BACKCHANNELS)).isFalse();
        assertThat(Backchannels.hasSubstance("", CallSettings.DEFAULT_BACKCHANNELS)).isFalse();
        assertThat(Backchannels.hasSubstance("okay wait", CallSettings.DEFAULT_BACKCHANNELS)).isTrue();
        assertThat(Backchannels.hasSubstance("No.", CallSettings.DEFAULT_BACKCHANNELS)).isTrue();
    }

    // ---- output pacer

    @Test
    void pacerCutsFramesPadsEachPieceAndReportsFinishedPieces() {
        OutputPacer pacer = new OutputPacer();
        SpokenChunk first = new SpokenChunk(0, "Hi.", "m0", false);
        SpokenChunk second = new SpokenChunk(1, "Bye.", "m1", false);
        pacer.add(first);
        pacer.add(second);
        pacer.append(first, new short[400]);
        assertThat(pacer.hasFrame()).isTrue();
        assertThat(pacer.nextFrame()).hasSize(320);
        assertThat(pacer.hasFrame()).isFalse();
        first.synthesized = true;
        assertThat(pacer.hasFrame()).isTrue();
        short[] padded = pacer.nextFrame();
        assertThat(padded).hasSize(320);
        assertThat(pacer.takeFinished()).containsExactly(first);
        assertThat(pacer.position()).isEqualTo(640);

        short[] pcm = new short[320];
        Arrays.fill(pcm, (short) 5);
        pacer.append(second, pcm);
        assertThat(pacer.bufferedSamples()).isEqualTo(320);
        assertThat(pacer.nextFrame()).containsOnly((short) 5);
        assertThat(second.start).isEqualTo(640);
        second.synthesized = true;
        assertThat(pacer.takeFinished()).containsExactly(second);
        assertThat(pacer.isEmpty()).isTrue();
    }

    @Test
    void pacerFinishesPiecesThatProducedNoAudio() {
        OutputPacer pacer = new OutputPacer();
        SpokenChunk empty = new SpokenChunk(0, "", "m0", false);
        empty.synthesized = true;
        pacer.add(empty);
        assertThat(pacer.hasFrame()).isFalse();
        assertThat(pacer.takeFinished()).containsExactly(empty);
    }

    // ---- history

    @Test
    void historyKeepsTheLastTurnsAndSummarisesTheRest() {
        ConversationHistory history = new ConversationHistory("Be kind.", 2, 1000);
        history.addAgent(List.of(AssistantMessage.of("Hello.")));
        history.addCaller("First question. With detail.");
        history.addAgent(List.of(AssistantMessage.of("First answer.")));
        history.addCaller("Second.");
        assertThat(history.turnCount()).isEqualTo(2);
        assertThat(history.unsummarisedCount()).isEqualTo(1);
        assertThat(history.summaryText()).isEqualTo("Agent: Hello.");

        history.summariseExtractively();
        history.addCaller("Third.");
        history.summariseExtractively();

        List<ChatMessage> messages = history.messages();
        assertThat(messages.getFirst()).isEqualTo(new SystemMessage(
                "Be kind.\n\nSummary of the conversation so far:\nAgent: Hello.\nCaller: First question.\nAgent: First answer."));
        assertThat(messages.subList(1, messages.size()))
                .containsExactly(new UserMessage("Second."), new UserMessage("Third."));
    }

    @Test
    void historySummaryFromTheModelReplacesTheTurnsItCovered() {
        ConversationHistory history = new ConversationHistory("Be kind.", 1, 1000);
        history.addCaller("One.");
        history.addCaller("Two.");
        assertThat(history.startSummary()).isEqualTo("Caller: One.\n");
        history.addCaller("Three.");
        assertThat(history.hasUnsummarised()).isTrue();
        history.summarised("They said one.");
        assertThat(history.summaryText()).isEqualTo("They said one.\nCaller: Two.");
        assertThat(history.summary()).isEqualTo("They said one.");
    }

    @Test
    void summaryIsBoundedKeepingTheMostRecentLines() {
        ConversationHistory history = new ConversationHistory("p", 1, 40);
        for (int i = 0; i < 10; i++) {
            history.addCaller("Message number " + i + ".");
            history.summariseExtractively();
        }
        assertThat(history.summary().length()).isLessThanOrEqualTo(40);
        assertThat(history.summary()).endsWith("Caller: Message number 8.");
    }

    // ---- replay buffer

    @Test
    void replayKeepsAShortPrerollThenTheTurnUpToItsBound() {
        AudioReplay replay = new AudioReplay(true, 2, 5);
        for (int i = 0; i < 4; i++) {
            replay.add(new short[320]);
        }
        assertThat(replay.frames()).hasSize(2);
        replay.turnStarted();
        for (int i = 0; i < 10; i++) {
            replay.add(new short[320]);
        }
        assertThat(replay.frames()).hasSize(5);
        replay.turnEnded();
        assertThat(replay.retainedSamples()).isEqualTo(2 * 320);
        replay.clear();
        assertThat(replay.retainedSamples()).isZero();

        AudioReplay off = new AudioReplay(false, 2, 5);
        off.add(new short[320]);
        assertThat(off.frames()).isEmpty();
    }

    // ---- settings

    @Test
    void settingsRejectNonsense() {
        assertThatThrownBy(() -> CallSettings.builder().vadThresholds(0.3f, 0.6f).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallSettings.builder().maxHistoryTurns(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        CallSettings settings = CallSettings.builder().firstMessage("Hi").build();
        assertThat(settings.toBuilder().build()).isEqualTo(settings);
    }
}
