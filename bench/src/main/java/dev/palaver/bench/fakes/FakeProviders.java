package dev.palaver.bench.fakes;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The fake cloud providers a benchmark points Palaver at, on 127.0.0.1: Deepgram-style live STT on one port
 * (a WebSocket server) and OpenAI-style chat plus ElevenLabs/Aura-style TTS on another (HTTP).
 * {@code bench fakes [--stt-port N] [--http-port N] [delays…]} runs them in a process of their own and prints
 * {@code FAKES stt=ws://… http=http://…} once they listen.
 */
public final class FakeProviders implements AutoCloseable {

    /** What the callers "say", one per utterance in turn; each has words of substance (an interruption needs them). */
    public static final List<String> TRANSCRIPTS = List.of(
            "I would like to book an appointment for next Tuesday.",
            "What are your opening hours on Saturday?",
            "How much does a consultation cost and how long does it take?",
            "Can we make it in the afternoon instead?");

    private final ScheduledExecutorService timers;
    private final FakeDeepgramListen stt;
    private final FakeHttpProviders http;

    public FakeProviders(int sttPort, int httpPort, FakeDelays delays) throws IOException, InterruptedException {
        timers = Executors.newScheduledThreadPool(1, Thread.ofPlatform().daemon().name("fake-stt-timer").factory());
        stt = new FakeDeepgramListen(new InetSocketAddress("127.0.0.1", sttPort), delays, TRANSCRIPTS, timers);
        stt.startAndWait();
        http = new FakeHttpProviders(new InetSocketAddress("127.0.0.1", httpPort), delays);
    }

    /** Deepgram's base URL (the STT WebSocket). */
    public String sttUrl() {
        return "ws://127.0.0.1:" + stt.getPort();
    }

    /** The HTTP base URL: OpenAI's is this plus {@code /v1}; ElevenLabs' is this. */
    public String httpUrl() {
        return "http://127.0.0.1:" + http.port();
    }

    public String stats() {
        return "stt streams=" + stt.streamsOpened() + " finals=" + stt.finalsSent() + ", completions="
                + http.completions() + ", syntheses=" + http.syntheses();
    }

    @Override
    public void close() throws InterruptedException {
        http.close();
        stt.stop(1000);
        timers.shutdownNow();
    }

    /** {@code bench fakes}: runs until killed or until standard input closes. */
    public static int main(List<String> args, PrintStream out) throws Exception {
        int sttPort = intOption(args, "--stt-port", 0);
        int httpPort = intOption(args, "--http-port", 0);
        FakeDelays delays = FakeDelays.parse(args);
        try (FakeProviders fakes = new FakeProviders(sttPort, httpPort, delays)) {
            out.println("FAKES stt=" + fakes.sttUrl() + " http=" + fakes.httpUrl() + " " + delays);
            out.flush();
            while (System.in.read() >= 0) {
                // Runs until the parent closes our input or kills us.
            }
            out.println("fakes: " + fakes.stats());
        }
        return 0;
    }

    static int intOption(List<String> args, String name, int absent) {
        int i = args.indexOf(name);
        return i < 0 || i + 1 >= args.size() ? absent : Integer.parseInt(args.get(i + 1));
    }
}
