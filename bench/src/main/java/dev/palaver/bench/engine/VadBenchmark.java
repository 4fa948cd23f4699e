package dev.palaver.bench.engine;

import dev.palaver.media.vad.EnergyVoiceActivityDetector;
import dev.palaver.providers.offline.SileroModel;
import dev.palaver.providers.offline.SileroVoiceActivityDetector;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The pieces of per-frame work on their own, on this thread: one Silero v5 inference (a 512-sample,
 * 32 ms window, with the call's recurrent state), one energy-detector window, and the transport edge
 * (μ-law decode and resampling of one 20 ms frame).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VadBenchmark {

    private static final int WINDOW = 512;

    /** One second of synthetic voiced sound at 16 kHz, judged window after window. */
    @State(Scope.Thread)
    public static class Audio {
        final short[] samples = CallerAudio.voiced(16_000, 3);
        int offset;

        int nextWindow() {
            int at = offset;
            offset = offset + 2 * WINDOW > samples.length ? 0 : offset + WINDOW;
            return at;
        }
    }

    @State(Scope.Thread)
    public static class Silero {
        SileroModel model;
        SileroVoiceActivityDetector detector;

        @Setup(Level.Trial)
        public void load() throws Exception {
            model = SileroModel.load(SileroModel.defaultPath());
            detector = model.newDetector();
        }

        @TearDown(Level.Trial)
        public void close() {
            detector.close();
            model.close();
        }
    }

    @State(Scope.Thread)
    public static class Energy {
        final EnergyVoiceActivityDetector detector = new EnergyVoiceActivityDetector();
    }

    @State(Scope.Thread)
    public static class Edge {
        final TelephoneEdge edge = new TelephoneEdge();
        final byte[][] frames = CallerAudio.speechFrames(50, 5);
        int next;
    }

    @Benchmark
    public float sileroWindow(Silero silero, Audio audio) {
        return silero.detector.speechProbability(audio.samples, audio.nextWindow());
    }

    @Benchmark
    public float energyWindow(Energy energy, Audio audio) {
        return energy.detector.speechProbability(audio.samples, audio.nextWindow());
    }

    @Benchmark
    public short[] telephoneEdge(Edge edge) {
        byte[] frame = edge.frames[edge.next];
        edge.next = edge.next + 1 == edge.frames.length ? 0 : edge.next + 1;
        return edge.edge.toEngineFrame(frame);
    }
}
