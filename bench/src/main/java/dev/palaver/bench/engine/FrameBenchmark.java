package dev.palaver.bench.engine;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.call.CallSession;
import dev.palaver.media.call.CallSettings;
import dev.palaver.media.call.CallState;
import dev.palaver.media.call.LoopMode;
import dev.palaver.media.fake.FakeLanguageModel;
import dev.palaver.media.fake.FakeReply;
import dev.palaver.media.fake.FakeSpeechToText;
import dev.palaver.media.fake.FakeTextToSpeech;
import dev.palaver.media.fake.Latency;
import dev.palaver.media.time.SystemScheduler;
import dev.palaver.media.vad.EnergyVoiceActivityDetector;
import dev.palaver.media.vad.VoiceActivityDetector;
import dev.palaver.providers.offline.SileroModel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One inbound 20 ms phone frame, all the way through a live call as production runs it: μ-law decode and
 * 8 → 16 kHz resampling at the transport's edge (this thread), the hand-off into the call's mailbox, and
 * the call's loop (a virtual thread) taking it: pushing it to the streaming recogniser and feeding the
 * voice-activity detector, which judges a 512-sample window whenever one is complete (5 frames in 8).
 * The operation ends when the loop has done both for this frame, so the time includes waking the loop;
 * this thread waits by spinning, then yielding (see {@link #SPIN_NANOS}).
 *
 * <p>The caller sends continuous synthetic voiced sound, so the call sits in one state (the energy detector
 * hears speech throughout; Silero, after its first quarter second, hears none) and nothing but per-frame
 * work happens. Providers are the engine's fakes; the recogniser's push is a scan of the frame.
 * Allocation is counted across all threads, the loop's included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FrameBenchmark {

    /**
     * How long the waiting thread spins before it starts yielding its CPU. A transport thread in production
     * does not wait for the call; a benchmark thread that only spins holds one of the CPUs the call's loop
     * needs. On a shared two-core machine that put a Silero frame's p99 at 1–3 ms, against about 0.25 ms
     * when the waiting thread yields.
     */
    private static final long SPIN_NANOS = 50_000;

    @Param({"silero", "energy"})
    public String vad;

    private SystemScheduler scheduler;
    private SileroModel model;
    private CallSession session;
    private BenchTransport transport;
    private ObservedSpeechToText stt;
    private ObservedVoiceActivityDetector detector;
    private TelephoneEdge edge;
    private byte[][] frames;
    private int next;
    private long sent;
    private int windowSamples;

    @Setup(Level.Trial)
    public void startCall() throws Exception {
        scheduler = new SystemScheduler();
        VoiceActivityDetector inner = switch (vad) {
            case "silero" -> {
                model = SileroModel.load(SileroModel.defaultPath());
                yield model.newDetector();
            }
            case "energy" -> new EnergyVoiceActivityDetector();
            default -> throw new IllegalArgumentException("vad " + vad);
        };
        detector = new ObservedVoiceActivityDetector(inner);
        windowSamples = detector.windowSamples();
        stt = new ObservedSpeechToText(FakeSpeechToText.builder(scheduler).finalLatency(Latency.millis(0)).build());
        transport = new BenchTransport();
        session = CallSession.builder()
                .callId("frame-" + vad)
                .settings(CallSettings.builder()
                        .firstMessage("")
                        .silenceTimeout(Duration.ofHours(1))
                        .maxDuration(Duration.ofHours(6))
                        .build())
                .transport(transport)
                .speechToText(stt)
                .languageModel(FakeLanguageModel.builder(scheduler)
                        .otherwise(request -> FakeReply.says("Okay.")).build())
                .textToSpeech(FakeTextToSpeech.builder(scheduler).build())
                .voiceActivityDetector(detector)
                .scheduler(scheduler)
                .loopMode(LoopMode.VIRTUAL_THREAD)
                .build();
        session.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (session.state() != CallState.LISTENING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the call did not start: " + session.diagnostics());
            }
            Thread.sleep(1);
        }
        edge = new TelephoneEdge();
        frames = CallerAudio.speechFrames(100, 7);
    }

    @Benchmark
    public void frame() {
        short[] pcm = edge.toEngineFrame(frames[next]);
        next = next + 1 == frames.length ? 0 : next + 1;
        transport.receive(pcm);
        long n = ++sent;
        long windows = n * AudioFormat.SAMPLES_PER_FRAME / windowSamples;
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (stt.framesPushed() < n || detector.windows() < windows) {
            if (session.isEnded()) {
                throw new IllegalStateException("the call ended: " + session.diagnostics());
            }
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    @TearDown(Level.Trial)
    public void endCall() throws InterruptedException {
        session.hangUp();
        session.awaitEnd(Duration.ofSeconds(10));
        scheduler.close();
        if (model != null) {
            model.close();
        }
    }
}
