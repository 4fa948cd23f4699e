package dev.palaver.media.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.fake.FakeLanguageModel;
import dev.palaver.media.fake.FakeSpeechToText;
import dev.palaver.media.fake.FakeTextToSpeech;
import dev.palaver.media.fake.FakeToolExecutor;
import dev.palaver.media.fake.FakeVoiceActivityDetector;
import dev.palaver.media.fake.Latency;
import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.SystemMessage;
import dev.palaver.media.llm.UserMessage;
import dev.palaver.media.time.VirtualScheduler;
import dev.palaver.media.transport.InMemoryTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A whole call on virtual time: fakes for every provider, an in-memory transport, and a caller who
 * speaks in 20 ms frames. Configure, {@link #start()}, then script the caller; nothing sleeps.
 *
 * <p>Defaults: no greeting, endpointing 500 ms, interruption at 400 ms of speech, backchannels not
 * ignored; recognition answers 100 ms after the end of speech; the model's first token comes after
 * 200 ms and each further word 10 ms later; synthesis sends 10 ms of audio per character in one piece
 * after 100 ms.
 */
final class CallHarness {

    static final Duration FRAME = Duration.ofMillis(AudioFormat.FRAME_MILLIS);

    final VirtualScheduler clock = new VirtualScheduler();
    final InMemoryTransport transport;
    final List<CallEvent> events = new ArrayList<>();
    final CallSettings.Builder settings = CallSettings.builder()
            .systemPrompt("You are a test agent.")
            .firstMessage("")
            .endpointingDelay(Duration.ofMillis(500))
            .interruptionThreshold(Duration.ofMillis(400))
            .ignoreBackchannels(false);
    final FakeSpeechToText.Builder sttScript = FakeSpeechToText.builder(clock)
            .finalLatency(Latency.millis(100));
    final FakeLanguageModel.Builder llmScript = FakeLanguageModel.builder(clock)
            .timeToFirstToken(Latency.millis(200)).perToken(Duration.ofMillis(10));
    final FakeTextToSpeech.Builder ttsScript = FakeTextToSpeech.builder(clock)
            .timeToFirstByte(Latency.millis(100)).millisPerCharacter(10).pieceMillis(60_000);
    final FakeToolExecutor.Builder toolScript = FakeToolExecutor.builder(clock);
    final FakeVoiceActivityDetector vad = new FakeVoiceActivityDetector(AudioFormat.SAMPLES_PER_FRAME);
    Consumer<CallSession.Builder> extra = b -> { };

    FakeSpeechToText stt;
    FakeLanguageModel llm;
    FakeTextToSpeech tts;
    FakeToolExecutor tools;
    CallSession session;

    CallHarness() {
        this(true);
    }

    CallHarness(boolean playMarksAtOnce) {
        transport = new InMemoryTransport(clock, playMarksAtOnce);
    }

    CallHarness start() {
        stt = sttScript.build();
        llm = llmScript.build();
        tts = ttsScript.build();
        tools = toolScript.build();
        CallSession.Builder builder = CallSession.builder()
                .callId("test")
                .settings(settings.build())
                .transport(transport)
                .speechToText(stt)
                .languageModel(llm)
                .textToSpeech(tts)
                .tools(tools)
                .voiceActivityDetector(vad)
                .scheduler(clock)
                .sink(events::add)
                .loopMode(LoopMode.ON_SCHEDULER);
        extra.accept(builder);
        session = builder.build();
        session.start();
        clock.runDueTasks();
        return this;
    }

    /** The caller speaks (non-silent frames) for {@code duration}. */
    CallHarness speak(Duration duration) {
        return frames(duration, (short) 1000);
    }

    CallHarness speakMillis(long millis) {
        return speak(Duration.ofMillis(millis));
    }

    /** The caller is silent (zero frames) for {@code duration}; the line keeps carrying audio. */
    CallHarness silence(Duration duration) {
        return frames(duration, (short) 0);
    }

    CallHarness silenceMillis(long millis) {
        return silence(Duration.ofMillis(millis));
    }

    private CallHarness frames(Duration duration, short value) {
        for (long t = 0; t < duration.toMillis(); t += FRAME.toMillis()) {
            if (!session.isEnded()) {
                short[] frame = new short[AudioFormat.SAMPLES_PER_FRAME];
                Arrays.fill(frame, value);
                transport.receiveAudio(frame);
            }
            clock.advance(FRAME);
        }
        return this;
    }

    long nowMillis() {
        return clock.nanoTime() / 1_000_000;
    }

    List<AssistantMessage> agentMessages() {
        return session.history().stream().filter(AssistantMessage.class::isInstance)
                .map(AssistantMessage.class::cast).toList();
    }

    AssistantMessage lastAgentMessage() {
        List<AssistantMessage> agent = agentMessages();
        assertThat(agent).isNotEmpty();
        return agent.getLast();
    }

    List<String> callerMessages() {
        return session.history().stream().filter(UserMessage.class::isInstance)
                .map(m -> ((UserMessage) m).text()).toList();
    }

    /** The history without the system message. */
    List<ChatMessage> conversation() {
        return session.history().stream().filter(m -> !(m instanceof SystemMessage)).toList();
    }

    <T extends CallEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<Long> frameTimesMillis() {
        return transport.audioSent().stream().map(a -> a.atNanos() / 1_000_000).toList();
    }

    /** Longest time in [from, to) with no outbound frame playing. */
    long longestDeadAirMillis(long fromMillis, long toMillis) {
        long longest = 0;
        long playingUntil = fromMillis;
        for (long at : frameTimesMillis()) {
            if (at < fromMillis || at >= toMillis) {
                continue;
            }
            longest = Math.max(longest, at - playingUntil);
            playingUntil = Math.max(playingUntil, at + FRAME.toMillis());
        }
        return Math.max(longest, toMillis - playingUntil);
    }

    /** The call ended and let go of everything: streams, timers, buffers, the VAD. */
    void assertReleasedEverything() {
        assertThat(session.isEnded()).isTrue();
        CallDiagnostics d = session.diagnostics();
        assertThat(d.state()).isEqualTo(CallState.ENDED);
        assertThat(d.queuedEvents()).isZero();
        assertThat(d.bufferedOutputSamples()).isZero();
        assertThat(d.retainedInputSamples()).isZero();
        assertThat(d.openProviderStreams()).isZero();
        assertThat(d.pendingToolCalls()).isZero();
        assertThat(d.armedTimers()).isZero();
        assertThat(d.invalidTransitions()).isZero();
        assertThat(stt.openStreams()).isZero();
        assertThat(llm.openStreams()).isZero();
        assertThat(tts.openSyntheses()).isZero();
        assertThat(tools.pendingCalls()).isZero();
        assertThat(vad.isClosed()).isTrue();
        assertThat(clock.pendingTasks()).isZero();
        assertThat(events(CallEvent.CallEnded.class)).hasSize(1);
        assertThat(events(CallEvent.ErrorOccurred.class))
                .noneMatch(e -> e.component().equals("engine"));
    }

    /** Hangs up from the platform side and checks the call let go of everything. */
    void hangUpAndAssertReleased() {
        session.hangUp();
        clock.runDueTasks();
        assertReleasedEverything();
    }
}
