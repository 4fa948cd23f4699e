package dev.palaver.bench.engine;

import dev.palaver.bench.Stats;
import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.call.CallEvent;
import dev.palaver.media.call.CallSession;
import dev.palaver.media.call.CallSettings;
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
import dev.palaver.providers.offline.SileroModel;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Many calls at once in one JVM, as a node serves them: every call has its own loop (a virtual thread),
 * all share one timer thread and, with Silero, one model. Each caller is paced in real time: a phone
 * frame every 20 ms (decoded and resampled at the edge, as a phone transport does), speaking an utterance
 * of real speech, then silent while the agent answers; every third time the caller cuts in over the
 * answer. Providers are the engine's fakes with realistic, seeded random latencies.
 *
 * <p>Measured after a warm-up: GC pauses (from the JVM's own GC log, which this JVM must write: run it
 * with {@code -Xlog:gc:file=PATH} and pass the same path), process CPU, how late the pacing thread ran
 * (if the machine cannot keep up, frames arrive late), frames the calls dropped, and the engine's
 * per-turn metrics under this load.
 */
public final class ConcurrentSessions {

    public record Options(int sessions, Duration warmup, Duration measured, String vad, Path speechDir, Path gcLog) {
    }

    public record Result(int sessions, double seconds, String vad, long gcPausesMeasured, Stats gcPausesMillis,
                         long gcPausesWholeRun, double gcPauseMaxWholeRunMillis, double cpuCores,
                         double cpuMicrosPerFrame, long framesFed, Stats feederLateMillis, long droppedFrames,
                         int callsEnded, long turns, long interruptions, Stats firstAudioOutMillis,
                         Stats engineOverheadMillis, Map<String, Stats> turnParts, double loadAverage) {
    }

    private static final int SLOTS = AudioFormat.FRAME_MILLIS;
    private static final long SLOT_NANOS = 1_000_000L;
    private static final Pattern GC_PAUSE = Pattern.compile("^\\[(\\d+(?:\\.\\d+)?)s\\].*\\bPause\\b.*?(\\d+(?:\\.\\d+)?)ms\\s*$");
    private static final List<String> TRANSCRIPTS = List.of(
            "Hi, I'd like to book an appointment for next Tuesday.",
            "What are your opening hours on Saturday?",
            "Can you tell me how much a consultation costs?",
            "Actually, could we make it in the afternoon instead?",
            "My name is Alex Morgan and my number is five five five, one two three four.",
            "Great, thank you. Is there parking nearby?");
    private static final List<String> ANSWERS = List.of(
            "Of course. Tuesday at ten is free. Shall I book it for you?",
            "On Saturdays we are open from nine in the morning until one in the afternoon.",
            "A first consultation is sixty dollars, and it takes about forty minutes.",
            "Sure, three in the afternoon works. I have moved it for you.",
            "Thank you, Alex. I have noted your number, and you will get a text reminder.",
            "Yes, there is a public car park right behind the building.");

    private ConcurrentSessions() {
    }

    /** Whether the JVM writes its GC log to {@code gcLog}, which this benchmark reads its pauses from. */
    public static boolean gcLogConfigured(Path gcLog) {
        String wanted = "file=" + gcLog;
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-Xlog:gc") && a.contains(wanted));
    }

    public static Result run(Options options, PrintStream progress) throws IOException, InterruptedException {
        List<byte[][]> utterances = loadSpeech(options.speechDir());
        byte[] silence = CallerAudio.silentFrame();
        SileroModel model = options.vad().equals("silero") ? SileroModel.load(SileroModel.defaultPath()) : null;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Caller> callers = new ArrayList<>(options.sessions());
        ConcurrentLinkedQueue<CallEvent> measuredEvents = new ConcurrentLinkedQueue<>();
        Feeder feeder;
        long measureStart;
        long cpuStart;
        long uptimeStart;
        long feedStart;
        long droppedStart;
        try (SystemScheduler scheduler = new SystemScheduler()) {
            Random random = new Random(42);
            for (int i = 0; i < options.sessions(); i++) {
                VoiceActivityDetector vad = model != null ? model.newDetector() : new EnergyVoiceActivityDetector();
                callers.add(new Caller(i, scheduler, vad, utterances, silence, random.nextLong(), measuredEvents));
            }
            callers.forEach(c -> c.session.start());
            feeder = new Feeder(callers, (int) options.measured().toMillis() + 10_000);
            Thread feederThread = Thread.ofPlatform().name("caller-feeder").start(feeder);

            progress.printf("  %d calls up, warming up for %d s%n", callers.size(), options.warmup().toSeconds());
            Thread.sleep(options.warmup());
            measureStart = System.nanoTime();
            cpuStart = os.getProcessCpuTime();
            uptimeStart = ManagementFactory.getRuntimeMXBean().getUptime();
            feedStart = feeder.framesFed();
            droppedStart = dropped(callers);
            feeder.startRecordingLateness();
            for (Caller c : callers) {
                c.recording = true;
            }
            progress.printf("  measuring for %d s%n", options.measured().toSeconds());
            Thread.sleep(options.measured());
            for (Caller c : callers) {
                c.recording = false;
            }
            long measureEnd = System.nanoTime();
            long cpuEnd = os.getProcessCpuTime();
            long uptimeEnd = ManagementFactory.getRuntimeMXBean().getUptime();
            double loadAverage = os.getSystemLoadAverage();
            Stats late = feeder.stopRecordingLateness();
            long fed = feeder.framesFed() - feedStart;
            long droppedFrames = dropped(callers) - droppedStart;
            int ended = (int) callers.stream().filter(c -> c.session.isEnded()).count();

            feeder.stop();
            feederThread.join();
            for (Caller c : callers) {
                c.session.hangUp();
            }
            for (Caller c : callers) {
                if (!c.session.awaitEnd(Duration.ofSeconds(30))) {
                    progress.println("warning: call " + c.session.callId() + " did not end within 30 s");
                }
            }
            if (model != null) {
                model.close();
            }

            double seconds = (measureEnd - measureStart) / 1e9;
            List<Double> firstAudio = new ArrayList<>();
            List<Double> overhead = new ArrayList<>();
            Map<String, List<Double>> parts = new LinkedHashMap<>();
            long turns = 0;
            long interruptions = 0;
            for (CallEvent event : measuredEvents) {
                switch (event) {
                    case CallEvent.TurnMeasured m -> {
                        turns++;
                        if (m.metrics().firstAudioOut() != null) {
                            firstAudio.add(m.metrics().firstAudioOut().toNanos() / 1e6);
                        }
                        if (m.metrics().platformOverhead() != null) {
                            overhead.add(m.metrics().platformOverhead().toNanos() / 1e6);
                        }
                        TurnMetrics t = m.metrics();
                        addPart(parts, "endpointing", t.endpointingDelay());
                        addPart(parts, "stt final", t.sttFinalLatency());
                        addPart(parts, "llm first token", t.llmTimeToFirstToken());
                        addPart(parts, "tts first byte", t.ttsTimeToFirstByte());
                        addPart(parts, "provider time", t.providerTime());
                    }
                    case CallEvent.CallerInterrupted i -> interruptions++;
                    default -> {
                    }
                }
            }
            GcPauses inWindow = gcPauses(options.gcLog(), uptimeStart / 1000.0, uptimeEnd / 1000.0);
            GcPauses whole = gcPauses(options.gcLog(), 0, Double.MAX_VALUE);
            return new Result(callers.size(), seconds, options.vad(), inWindow.count(), new Stats(inWindow.millis()),
                    whole.count(), new Stats(whole.millis()).max(), (cpuEnd - cpuStart) / 1e9 / seconds,
                    fed == 0 ? Double.NaN : (cpuEnd - cpuStart) / 1e3 / fed, fed, late, droppedFrames, ended, turns,
                    interruptions, new Stats(toArray(firstAudio)), new Stats(toArray(overhead)),
                    parts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                            e -> new Stats(toArray(e.getValue())), (a, b) -> a, LinkedHashMap::new)), loadAverage);
        }
    }

    private static void addPart(Map<String, List<Double>> parts, String name, Duration value) {
        if (value != null) {
            parts.computeIfAbsent(name, k -> new ArrayList<>()).add(value.toNanos() / 1e6);
        }
    }

    private static long dropped(List<Caller> callers) {
        return callers.stream().mapToLong(c -> c.session.diagnostics().droppedAudioFrames()).sum();
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private record GcPauses(long count, double[] millis) {
    }

    /** GC pauses logged between two JVM uptimes (seconds); concurrent phases are not pauses and are skipped. */
    private static GcPauses gcPauses(Path log, double fromSeconds, double toSeconds) throws IOException {
        List<Double> pauses = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = GC_PAUSE.matcher(line);
            if (m.matches()) {
                double at = Double.parseDouble(m.group(1));
                if (at >= fromSeconds && at <= toSeconds) {
                    pauses.add(Double.parseDouble(m.group(2)));
                }
            }
        }
        return new GcPauses(pauses.size(), toArray(pauses));
    }

    /** 16 kHz mono WAV files of speech, as phone frames. */
    private static List<byte[][]> loadSpeech(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no .wav files of caller speech in " + dir);
        }
        List<byte[][]> utterances = new ArrayList<>();
        for (Path file : files) {
            utterances.add(CallerAudio.fromPcm16k(CallerAudio.readSpeech(file)));
        }
        return utterances;
    }

    /** One caller and their call. Its script runs on the feeder thread only. */
    private static final class Caller {
        /** Silence after an utterance: long enough for the answer to play out (about 1.3 s to answer, 3–4 s to say). */
        static final int PATIENT_SILENCE_FRAMES = 300;
        /** After every third utterance the caller speaks again about 0.3 s into the answer. */
        static final int IMPATIENT_SILENCE_FRAMES = 80;

        final CallSession session;
        final BenchTransport transport = new BenchTransport();
        final TelephoneEdge edge = new TelephoneEdge();
        final List<byte[][]> utterances;
        final byte[] silence;
        final Random random;
        volatile boolean recording;
        byte[][] speaking;
        int position;
        int silentFrames;
        int spoken;

        Caller(int index, SystemScheduler scheduler, VoiceActivityDetector vad, List<byte[][]> utterances,
                byte[] silence, long seed, ConcurrentLinkedQueue<CallEvent> measured) {
            this.utterances = utterances;
            this.silence = silence;
            this.random = new Random(seed);
            // Callers start at different moments, some during the greeting.
            this.silentFrames = 50 + random.nextInt(150);
            List<String> transcripts = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                transcripts.add(TRANSCRIPTS.get((index + i) % TRANSCRIPTS.size()));
            }
            int[] answer = {index};
            session = CallSession.builder()
                    .callId("load-" + index)
                    .settings(CallSettings.builder().maxDuration(Duration.ofHours(1)).build())
                    .transport(transport)
                    .speechToText(FakeSpeechToText.builder(scheduler)
                            .finalLatency(Latency.uniform(Duration.ofMillis(100), Duration.ofMillis(250), seed))
                            // The fake sends one partial per utterance; later than the detector's start
                            // (flite's quiet lead-in included), so an interruption has words to go on.
                            .partialAfter(Duration.ofMillis(400))
                            .transcripts(transcripts.toArray(String[]::new))
                            .build())
                    .languageModel(FakeLanguageModel.builder(scheduler)
                            .timeToFirstToken(Latency.uniform(Duration.ofMillis(150), Duration.ofMillis(400), seed + 1))
                            .perToken(Duration.ofMillis(25))
                            .otherwise(request -> FakeReply.says(ANSWERS.get(answer[0]++ % ANSWERS.size())))
                            .build())
                    .textToSpeech(FakeTextToSpeech.builder(scheduler)
                            .timeToFirstByte(Latency.uniform(Duration.ofMillis(80), Duration.ofMillis(150), seed + 2))
                            .millisPerCharacter(45)
                            .pieceMillis(200)
                            .pieceInterval(Duration.ofMillis(100))
                            .build())
                    .voiceActivityDetector(vad)
                    .scheduler(scheduler)
                    .sink(event -> {
                        if (recording && (event instanceof CallEvent.TurnMeasured
                                || event instanceof CallEvent.CallerInterrupted)) {
                            measured.add(event);
                        }
                    })
                    .loopMode(LoopMode.VIRTUAL_THREAD)
                    .build();
        }

        /** The caller's next 20 ms. */
        void sendFrame() {
            if (session.isEnded()) {
                return;
            }
            byte[] frame;
            if (speaking != null) {
                frame = speaking[position++];
                if (position == speaking.length) {
                    speaking = null;
                    silentFrames = ++spoken % 3 == 2 ? IMPATIENT_SILENCE_FRAMES : PATIENT_SILENCE_FRAMES;
                }
            } else {
                frame = silence;
                if (--silentFrames <= 0) {
                    speaking = utterances.get(random.nextInt(utterances.size()));
                    position = 0;
                }
            }
            transport.receive(edge.toEngineFrame(frame));
        }
    }

    /**
     * One platform thread plays every caller: each 1 ms slot it sends the next frame of the callers
     * assigned to that slot, so each caller gets a frame every 20 ms and the calls' frames are spread
     * over the 20 ms rather than arriving all at once.
     */
    private static final class Feeder implements Runnable {
        private final List<Caller> callers;
        private volatile boolean running = true;
        private volatile long framesFed;
        private volatile boolean recordingLateness;
        /** Written by the feeder thread only while recording; read after recording stops. */
        private final double[] lateMillis;
        private volatile int lateCount;

        Feeder(List<Caller> callers, int maxSlots) {
            this.callers = callers;
            this.lateMillis = new double[maxSlots];
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            for (long slot = 0; running; slot++) {
                long due = start + slot * SLOT_NANOS;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                if (recordingLateness && lateCount < lateMillis.length) {
                    lateMillis[lateCount] = (now - due) / 1e6;
                    lateCount = lateCount + 1;
                }
                int first = (int) (slot % SLOTS);
                for (int i = first; i < callers.size(); i += SLOTS) {
                    callers.get(i).sendFrame();
                    framesFed = framesFed + 1;
                }
            }
        }

        long framesFed() {
            return framesFed;
        }

        void startRecordingLateness() {
            recordingLateness = true;
        }

        /** Stops recording; the slot being recorded when this is called may be missing from the result. */
        Stats stopRecordingLateness() {
            recordingLateness = false;
            return new Stats(Arrays.copyOf(lateMillis, lateCount));
        }

        void stop() {
            running = false;
        }
    }
}
