package dev.palaver.media.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.fake.FakeLanguageModel;
import dev.palaver.media.fake.FakeReply;
import dev.palaver.media.fake.FakeSpeechToText;
import dev.palaver.media.fake.FakeTextToSpeech;
import dev.palaver.media.fake.FakeToolExecutor;
import dev.palaver.media.fake.FakeVoiceActivityDetector;
import dev.palaver.media.fake.Latency;
import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.media.llm.ToolResult;
import dev.palaver.media.time.SystemScheduler;
import dev.palaver.media.transport.InMemoryTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A thousand calls, to show that every way a call can end leaves nothing behind. */
class ManySessionsTest {

    private static final int CALLS = 1_000;

    /** Four endings in rotation, on virtual time: each call must let go of every stream, timer and buffer. */
    @Test
    void thousandCallsOnVirtualTimeLeaveNoStreamTimerOrBufferBehind() {
        for (int i = 0; i < CALLS; i++) {
            CallHarness h = new CallHarness();
            h.settings.firstMessage("Hi.").silenceTimeout(Duration.ofMillis(1500)).maxReprompts(0);
            h.sttScript.transcripts("Book me for Tuesday.", "No, stop.");
            h.toolScript.tool(new ToolDefinition("book", "Books", "{}", Duration.ofSeconds(2)),
                    Latency.millis(300), args -> ToolResult.ok("booked"));
            h.llmScript.replies(
                    FakeReply.callsTool("c" + i, "book", "{\"day\":\"Tuesday\"}"),
                    FakeReply.says("You are booked for Tuesday at ten. We will send a reminder the day before."));
            h.start();
            h.silenceMillis(200);
            switch (i % 4) {
                case 0 -> {
                    // Full turn with a tool, then the platform hangs up.
                    h.speakMillis(600).silenceMillis(2500);
                    h.session.hangUp();
                    h.clock.runDueTasks();
                }
                case 1 -> {
                    // The caller cuts the agent off, then hangs up mid-turn.
                    h.speakMillis(600).silenceMillis(1400).speakMillis(500);
                    h.transport.closeByCaller();
                    h.clock.runDueTasks();
                }
                case 2 -> {
                    // Hang-up while the tool is still running.
                    h.speakMillis(600).silenceMillis(800);
                    h.session.hangUp();
                    h.clock.runDueTasks();
                }
                default -> h.silenceMillis(3000); // silent caller: goodbye and hang-up
            }
            h.assertReleasedEverything();
        }
    }

    /**
     * The same in real time on virtual threads: all calls at once, each greets, takes one spoken turn and
     * is hung up, half by the platform and half by the caller. Afterwards no call thread or timer thread
     * is alive and the set of platform threads is what it was (apart from the JDK's carrier pool, which
     * grows with load and is not ours to stop).
     */
    @Test
    void thousandConcurrentCallsOnVirtualThreadsLeaveNoThreadBehind() throws InterruptedException {
        warmUpVirtualThreads();
        Set<Thread> before = platformThreads();
        SystemScheduler scheduler = new SystemScheduler();
        CountDownLatch greeted = new CountDownLatch(CALLS);
        CountDownLatch answered = new CountDownLatch(CALLS);
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            calls.add(new Call(scheduler, i, greeted, answered));
        }
        calls.forEach(c -> c.session.start());
        assertThat(greeted.await(60, TimeUnit.SECONDS)).isTrue();

        short[] speech = new short[AudioFormat.SAMPLES_PER_FRAME];
        Arrays.fill(speech, (short) 800);
        for (Call call : calls) {
            for (int f = 0; f < 25; f++) {
                call.transport.receiveAudio(f < 10 ? speech.clone() : new short[AudioFormat.SAMPLES_PER_FRAME]);
            }
        }
        assertThat(answered.await(60, TimeUnit.SECONDS)).isTrue();

        for (int i = 0; i < CALLS; i++) {
            if (i % 2 == 0) {
                calls.get(i).session.hangUp();
            } else {
                calls.get(i).transport.closeByCaller();
            }
        }
        for (Call call : calls) {
            assertThat(call.session.awaitEnd(Duration.ofSeconds(60))).isTrue();
        }
        scheduler.close();

        for (Call call : calls) {
            CallDiagnostics d = call.session.diagnostics();
            assertThat(d.loopThreadAlive()).isFalse();
            assertThat(d.openProviderStreams()).isZero();
            assertThat(d.queuedEvents()).isZero();
            assertThat(d.bufferedOutputSamples()).isZero();
            assertThat(d.armedTimers()).isZero();
            assertThat(d.invalidTransitions()).isZero();
            assertThat(call.stt.openStreams()).isZero();
            assertThat(call.llm.openStreams()).isZero();
            assertThat(call.tts.openSyntheses()).isZero();
            assertThat(call.vad.isClosed()).isTrue();
        }
        Set<Thread> after = platformThreads();
        after.removeAll(before);
        assertThat(after.stream().filter(t -> !t.getName().startsWith("ForkJoinPool")).map(Thread::getName))
                .isEmpty();
    }

    /** The JDK starts helper threads for virtual threads lazily; start them before taking the baseline. */
    private static void warmUpVirtualThreads() throws InterruptedException {
        Thread.ofVirtual().start(() -> {
            try {
                new CountDownLatch(1).await(1, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).join();
    }

    private static Set<Thread> platformThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    /** One real-time call with fast fakes. */
    private static final class Call {
        final InMemoryTransport transport;
        final FakeSpeechToText stt;
        final FakeLanguageModel llm;
        final FakeTextToSpeech tts;
        final FakeVoiceActivityDetector vad = new FakeVoiceActivityDetector(AudioFormat.SAMPLES_PER_FRAME);
        final CallSession session;

        Call(SystemScheduler scheduler, int i, CountDownLatch greeted, CountDownLatch answered) {
            transport = new InMemoryTransport(scheduler, true);
            stt = FakeSpeechToText.builder(scheduler).finalLatency(Latency.millis(1)).transcripts("Hello?").build();
            llm = FakeLanguageModel.builder(scheduler).timeToFirstToken(Latency.millis(1)).perToken(Duration.ZERO)
                    .replies(FakeReply.says("Hi.")).build();
            tts = FakeTextToSpeech.builder(scheduler).timeToFirstByte(Latency.millis(1)).millisPerCharacter(5).build();
            CallSettings settings = CallSettings.builder().firstMessage("Hey.")
                    .endpointingDelay(Duration.ofMillis(50)).silenceTimeout(Duration.ofMinutes(1)).build();
            session = CallSession.builder()
                    .callId("real-" + i)
                    .settings(settings)
                    .transport(transport)
                    .speechToText(stt)
                    .languageModel(llm)
                    .textToSpeech(tts)
                    .tools(FakeToolExecutor.builder(scheduler).build())
                    .voiceActivityDetector(vad)
                    .scheduler(scheduler)
                    .sink(event -> {
                        if (event instanceof CallEvent.TranscriptRecorded t && t.speaker() == CallEvent.Speaker.AGENT) {
                            (t.text().equals("Hey.") ? greeted : answered).countDown();
                        }
                    })
                    .loopMode(LoopMode.VIRTUAL_THREAD)
                    .build();
        }
    }
}
