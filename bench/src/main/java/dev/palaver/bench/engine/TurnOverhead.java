package dev.palaver.bench.engine;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.call.CallEvent;
import dev.palaver.media.call.CallSession;
import dev.palaver.media.call.CallSettings;
import dev.palaver.media.call.CallState;
import dev.palaver.media.call.LoopMode;
import dev.palaver.media.call.TurnMetrics;
import dev.palaver.media.fake.FakeLanguageModel;
import dev.palaver.media.fake.FakeReply;
import dev.palaver.media.fake.FakeSpeechToText;
import dev.palaver.media.fake.FakeTextToSpeech;
import dev.palaver.media.fake.Latency;
import dev.palaver.media.time.SystemScheduler;
import dev.palaver.media.vad.EnergyVoiceActivityDetector;
import dev.palaver.media.vad.VoiceActivityDetector;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The platform's own time per caller turn: from the moment the end-of-turn condition is met (the caller
 * has been silent for the endpointing delay and the final transcript is in) to the first frame of the
 * answer handed to the transport. One real call runs as in production (its loop on a virtual thread,
 * timers and provider callbacks on the {@link SystemScheduler}'s thread) with providers that answer at
 * once: the final transcript as soon as the call signals the end of speech, the model's first token as
 * soon as it is asked, synthesized audio as soon as text is sent. Whatever time remains is the platform's:
 * event hand-offs between threads, the call's loop, the text chunker, output pacing.
 *
 * <p>Each turn the caller sends an utterance and then silence. The clock starts when both end-of-turn
 * conditions hold: the endpointing delay has elapsed since the caller's speech ended, and the final
 * transcript has arrived. The speech end is dated as a caller would date it, from the utterance itself
 * ({@link UtteranceEnd}: its last sample within 40 dB of its peak, not the engine's detector or tracker):
 * the clock reading at which the frame carrying that sample was delivered to the call, less the samples
 * that follow it in the frame. The utterance up to that frame goes in a burst, faster than real time (so a
 * turn costs wall time only from the speech end on); from that frame on, the rest of the utterance and
 * then silence come one frame every 20 ms, as a phone line delivers them, until the answer has started.
 * Were the silence sent in a burst too, the engine (which dates the silence by counting samples back from
 * its clock) would place the speech end before the caller's frame was even delivered and answer "before"
 * the delay had elapsed. The detector is the caller's choice: Silero (production's) with real speech, or
 * the energy detector with synthetic speech (no model needed). The final transcript's arrival and the
 * first outbound frame are read with {@link System#nanoTime()} as they cross into and out of the call.
 */
public final class TurnOverhead {

    /** Synthetic speech for the energy detector: 200 ms. */
    static final int SYNTHETIC_SPEECH_FRAMES = 10;
    /** Short, to keep a run brief: the measurement starts after it has passed, whatever its length. */
    static final Duration ENDPOINTING_DELAY = Duration.ofMillis(40);
    static final String ANSWER = "Sure, one moment.";
    private static final long FRAME_NANOS = AudioFormat.FRAME_MILLIS * 1_000_000L;
    private static final Duration TURN_TIMEOUT = Duration.ofSeconds(10);

    /**
     * One measured turn.
     *
     * @param overheadMillis       end-of-turn condition met → first answer frame handed to the transport
     * @param engineOverheadMillis the engine's own {@link TurnMetrics#platformOverhead()} for the turn,
     *                             which books the providers' hand-offs as provider time
     * @param endedByTranscript    whether the transcript, not the silence, was the last condition met
     * @param decidedMillis        condition met → the call's loop deciding the turn is over (the
     *                             endpointing timer firing late, or the transcript waiting in the mailbox):
     *                             the overhead less the engine's own decision → first frame out
     * @param llmMillis            the model asked → its first token posted back (a hand-off, as the fake
     *                             answers at once)
     * @param ttsMillis            synthesis asked → its first audio posted back (likewise)
     */
    public record Turn(int number, double overheadMillis, double engineOverheadMillis, boolean endedByTranscript,
                       double decidedMillis, double llmMillis, double ttsMillis) {
    }

    /**
     * The call's voice-activity detector and what the caller says each turn (phone frames).
     *
     * @param detector a new detector for the call, which the call closes
     */
    public record Caller(String vad, Supplier<VoiceActivityDetector> detector, byte[][] utterance) {

        /** The energy detector and 200 ms of synthetic voiced sound: needs no model and no speech files. */
        public static Caller synthetic() {
            return new Caller("energy", EnergyVoiceActivityDetector::new,
                    CallerAudio.speechFrames(SYNTHETIC_SPEECH_FRAMES, 1));
        }
    }

    public record Result(List<Turn> turns) {
        public double[] overheadMillis() {
            return turns.stream().mapToDouble(Turn::overheadMillis).toArray();
        }

        public double[] engineOverheadMillis() {
            return turns.stream().mapToDouble(Turn::engineOverheadMillis).toArray();
        }

        public double[] decidedMillis() {
            return turns.stream().mapToDouble(Turn::decidedMillis).toArray();
        }

        public double[] llmMillis() {
            return turns.stream().mapToDouble(Turn::llmMillis).toArray();
        }

        public double[] ttsMillis() {
            return turns.stream().mapToDouble(Turn::ttsMillis).toArray();
        }

        public long endedByTranscript() {
            return turns.stream().filter(Turn::endedByTranscript).count();
        }
    }

    private TurnOverhead() {
    }

    /** Runs {@code warmupTurns} unmeasured turns, then {@code turns} measured ones, on one call. */
    public static Result run(int warmupTurns, int turns, Caller caller, PrintStream progress)
            throws InterruptedException {
        int total = warmupTurns + turns;
        try (SystemScheduler system = new SystemScheduler()) {
            CallSettings settings = CallSettings.builder()
                    .firstMessage("")
                    .endpointingDelay(ENDPOINTING_DELAY)
                    .silenceTimeout(Duration.ofHours(1))
                    .maxDuration(Duration.ofHours(6))
                    .build();
            // A detector may hear a pause inside an utterance as its end: each end consumes a transcript.
            List<String> transcripts = new ArrayList<>(4 * total);
            for (int i = 1; i <= 4 * total; i++) {
                transcripts.add("This is turn " + i + ", could you book a table for two?");
            }
            ObservedSpeechToText stt = new ObservedSpeechToText(FakeSpeechToText.builder(system)
                    .finalLatency(Latency.millis(0))
                    .transcripts(transcripts.toArray(String[]::new))
                    .build());
            FakeLanguageModel llm = FakeLanguageModel.builder(system)
                    .timeToFirstToken(Latency.millis(0))
                    .perToken(Duration.ZERO)
                    .otherwise(request -> FakeReply.says(ANSWER))
                    .build();
            FakeTextToSpeech tts = FakeTextToSpeech.builder(system)
                    .timeToFirstByte(Latency.millis(0))
                    .millisPerCharacter(1)
                    .build();
            BenchTransport transport = new BenchTransport();
            BlockingQueue<TurnMetrics> measured = new LinkedBlockingQueue<>();
            CallSession session = CallSession.builder()
                    .callId("turn-overhead")
                    .settings(settings)
                    .transport(transport)
                    .speechToText(stt)
                    .languageModel(llm)
                    .textToSpeech(tts)
                    .voiceActivityDetector(caller.detector().get())
                    .scheduler(system)
                    .sink(event -> {
                        if (event instanceof CallEvent.TurnMeasured m) {
                            measured.add(m.metrics());
                        }
                    })
                    .loopMode(LoopMode.VIRTUAL_THREAD)
                    .build();
            session.start();
            try {
                await(() -> session.state() == CallState.LISTENING, session, "the call to start listening");
                return drive(session, transport, stt, measured, caller.utterance(),
                        settings.endpointingDelay().toNanos(), warmupTurns, turns, progress);
            } finally {
                session.hangUp();
                if (!session.awaitEnd(Duration.ofSeconds(10))) {
                    progress.println("warning: the benchmarked call did not end within 10 s");
                }
            }
        }
    }

    private static Result drive(CallSession session, BenchTransport transport, ObservedSpeechToText stt,
            BlockingQueue<TurnMetrics> measured, byte[][] utterance, long delayNanos, int warmupTurns, int turns,
            PrintStream progress) throws InterruptedException {
        TelephoneEdge edge = new TelephoneEdge();
        byte[] silence = CallerAudio.silentFrame();
        UtteranceEnd end = UtteranceEnd.of(utterance);
        // A frame reaches the call once all its samples have been spoken: the last voiced one was spoken
        // this long before its frame was delivered.
        long tailNanos = end.samplesAfter() * 1_000_000_000L / CallerAudio.TELEPHONE_RATE;
        List<Turn> results = new ArrayList<>(turns);
        for (int turn = 1; turn <= warmupTurns + turns; turn++) {
            long turnStart = System.nanoTime();
            transport.awaitFirstAudio();
            // The speech before its last voiced frame in a burst: it costs no wall time, and the engine
            // dates nothing from it. From the last voiced frame on, everything comes in real time, so the
            // engine's sample-based dating of the silence and this clock agree.
            for (int f = 0; f < end.frame(); f++) {
                transport.receive(edge.toEngineFrame(utterance[f]));
            }
            long lastVoicedFrameAt = System.nanoTime();
            transport.receive(edge.toEngineFrame(utterance[end.frame()]));
            long speechEnded = lastVoicedFrameAt - tailNanos;
            long deadline = lastVoicedFrameAt + TURN_TIMEOUT.toNanos();
            long nextFrame = lastVoicedFrameAt + FRAME_NANOS;
            int next = end.frame() + 1;
            TurnMetrics metrics;
            while ((metrics = measured.poll(Math.max(0, nextFrame - System.nanoTime()), TimeUnit.NANOSECONDS)) == null) {
                if (session.isEnded() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("turn " + turn + " got no answer (call " + session.state()
                            + ", " + session.diagnostics() + ")");
                }
                transport.receive(edge.toEngineFrame(next < utterance.length ? utterance[next] : silence));
                next++;
                nextFrame += FRAME_NANOS;
            }
            long firstAudio = transport.firstAudioNanos();
            long finalAt = stt.lastFinalNanos();
            if (metrics.turn() != turn || metrics.firstAudioOut() == null || firstAudio < turnStart
                    || finalAt < turnStart) {
                throw new IllegalStateException("turn " + turn + " went wrong: " + metrics + ", first audio "
                        + (firstAudio - turnStart) + " ns, final " + (finalAt - turnStart) + " ns after the turn began");
            }
            long conditionMet = Math.max(speechEnded + delayNanos, finalAt);
            if (turn > warmupTurns) {
                double overhead = (firstAudio - conditionMet) / 1e6;
                double engine = metrics.platformOverhead() == null ? Double.NaN
                        : metrics.platformOverhead().toNanos() / 1e6;
                // The engine's own clock from its decision to its first frame out (both of its figures count
                // from its dating of the speech end); the rest of the overhead came before the decision.
                double decisionToAudio = metrics.firstAudioOut().minus(metrics.endpointingDelay()).toNanos() / 1e6;
                results.add(new Turn(turn - warmupTurns, overhead, engine, finalAt > speechEnded + delayNanos,
                        overhead - decisionToAudio, millis(metrics.llmTimeToFirstToken()),
                        millis(metrics.ttsTimeToFirstByte())));
            }
            if (turn % 500 == 0) {
                progress.printf("  %d/%d turns%n", turn, warmupTurns + turns);
            }
        }
        return new Result(results);
    }

    private static double millis(Duration d) {
        return d == null ? Double.NaN : d.toNanos() / 1e6;
    }

    private static void await(BooleanSupplier condition, CallSession session, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TURN_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (session.isEnded() || System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what + " (" + session.diagnostics() + ")");
            }
            Thread.sleep(1);
        }
    }
}
