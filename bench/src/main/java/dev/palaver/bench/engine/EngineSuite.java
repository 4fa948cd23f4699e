package dev.palaver.bench.engine;

import dev.palaver.bench.Stats;
import dev.palaver.media.audio.AudioFormat;
import dev.palaver.providers.offline.SileroModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code bench/run engine}: the real-time engine's figures. JMH (in forked JVMs) measures one inbound
 * frame through a live call, a Silero window, and the parts; the turn overhead and the many-calls run each
 * get a JVM of their own (the latter with a GC log). Ends with the {@code RESULT} line.
 */
public final class EngineSuite {

    private static final PrintStream out = System.out;
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** JMH reads fields through sun.misc.Unsafe; without this every JVM warns that it will go away. */
    private static final String UNSAFE_ALLOWED = "--sun-misc-unsafe-memory-access=allow";
    /** The caller's utterance for the turn-overhead run (one of those bench/run makes with flite). */
    private static final String TURN_UTTERANCE = "utterance-1.wav";

    private record Plan(int jmhWarmups, int jmhWarmupSeconds, int jmhIterations, int jmhIterationSeconds,
                        int warmupTurns, int turns, int sessions, int sessionWarmupSeconds, int sessionSeconds) {
    }

    private static final Plan FULL = new Plan(3, 2, 5, 3, 200, 2_000, 200, 10, 60);
    private static final Plan QUICK = new Plan(1, 1, 2, 1, 30, 150, 200, 4, 10);

    private EngineSuite() {
    }

    public static int run(List<String> args) throws Exception {
        Map<String, String> options = parse(args, Map.of("--quick", false, "--speech", true));
        if (options == null || !options.containsKey("--speech")) {
            System.err.println("usage: engine [--quick] --speech DIR (bench/run passes the caller speech it generates)");
            return 2;
        }
        Plan plan = options.containsKey("--quick") ? QUICK : FULL;
        Path speech = Path.of(options.get("--speech"));
        long started = System.nanoTime();
        out.printf(Locale.ROOT, "engine suite (%s): %d CPUs, load average %.2f at start, %s%n",
                plan == QUICK ? "quick" : "full", Runtime.getRuntime().availableProcessors(), loadAverage(),
                Runtime.version());
        // Other work on the machine shows in every figure: sample the load average through the run.
        List<Double> loads = new ArrayList<>();
        Thread loadSampler = Thread.ofPlatform().daemon().name("load-sampler").start(() -> {
            try {
                while (true) {
                    synchronized (loads) {
                        loads.add(loadAverage());
                    }
                    TimeUnit.SECONDS.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        out.println("\n== 1/4 per-frame work and VAD windows (JMH, SampleTime, GC profiler)");
        Map<String, RunResult> jmh = runJmh(plan);
        RunResult sileroFrame = jmh.get("frame[silero]");
        RunResult energyFrame = jmh.get("frame[energy]");
        RunResult sileroWindow = jmh.get("sileroWindow");

        out.println("\n== 2/4 turn overhead (one call, zero-latency fakes, virtual-thread loop, system scheduler)");
        Map<String, String> turns = child(List.of(), List.of("engine-turns", "--turns", String.valueOf(plan.turns()),
                "--warmup", String.valueOf(plan.warmupTurns()), "--vad", "silero",
                "--speech", speech.resolve(TURN_UTTERANCE).toString()), "TURNS");

        out.printf("%n== 3/4 %d concurrent calls, real-time paced (Silero VAD, realistic fake latencies), G1 (the JVM's"
                + " default collector)%n", plan.sessions());
        Map<String, String> sessions = sessions(plan, speech, List.of(), "gc");
        out.printf("%n== 4/4 the same on ZGC (concurrent collector), for comparison%n");
        Map<String, String> zgc = sessions(plan, speech, List.of("-XX:+UseZGC"), "gc,gc+phases");

        Map<String, String> result = new LinkedHashMap<>();
        result.put("suite", "engine");
        result.put("frame_cost_p99_us", fmt(p99(sileroFrame), 1));
        result.put("vad_window_p99_us", fmt(p99(sileroWindow), 1));
        result.put("turn_overhead_p50_ms", turns.get("p50_ms"));
        result.put("turn_overhead_p99_ms", turns.get("p99_ms"));
        result.put("alloc_per_frame_bytes", fmt(allocPerOp(sileroFrame), 0));
        result.put("frame_cost_energy_p99_us", fmt(p99(energyFrame), 1));
        result.put("alloc_per_frame_energy_bytes", fmt(allocPerOp(energyFrame), 0));
        result.put("sessions", sessions.get("sessions"));
        result.put("gc_pause_p99_ms", sessions.get("gc_pause_p99_ms"));
        result.put("gc_pause_max_ms", sessions.get("gc_pause_max_ms"));
        result.put("gc_pauses", sessions.get("gc_pauses"));
        result.put("cpu_cores", sessions.get("cpu_cores"));
        result.put("dropped_frames", sessions.get("dropped_frames"));
        result.put("zgc_pause_max_ms", zgc.get("gc_pause_max_ms"));
        result.put("zgc_pauses", zgc.get("gc_pauses"));

        out.println("\n== summary");
        out.printf(Locale.ROOT, "per frame, Silero VAD:  p50 %s us, p99 %s us, %s B allocated (all threads)%n",
                fmt(p(sileroFrame, 50), 1), fmt(p99(sileroFrame), 1), fmt(allocPerOp(sileroFrame), 0));
        out.printf(Locale.ROOT, "per frame, energy VAD:  p50 %s us, p99 %s us, %s B allocated (all threads)%n",
                fmt(p(energyFrame, 50), 1), fmt(p99(energyFrame), 1), fmt(allocPerOp(energyFrame), 0));
        out.printf(Locale.ROOT, "Silero window:          p50 %s us, p99 %s us, %s B allocated  (goal p99 <= 300 us)%n",
                fmt(p(sileroWindow, 50), 1), fmt(p99(sileroWindow), 1), fmt(allocPerOp(sileroWindow), 0));
        RunResult energyWindow = jmh.get("energyWindow");
        RunResult edge = jmh.get("telephoneEdge");
        out.printf(Locale.ROOT, "energy window:          p50 %s us, p99 %s us, %s B allocated%n",
                fmt(p(energyWindow, 50), 1), fmt(p99(energyWindow), 1), fmt(allocPerOp(energyWindow), 0));
        out.printf(Locale.ROOT, "phone edge (decode+resample): p50 %s us, p99 %s us, %s B allocated (the frame)%n",
                fmt(p(edge, 50), 2), fmt(p99(edge), 2), fmt(allocPerOp(edge), 0));
        out.printf("turn overhead:          p50 %s ms, p99 %s ms over %s turns  (goals p50 <= 2 ms, p99 <= 10 ms)%n",
                turns.get("p50_ms"), turns.get("p99_ms"), turns.get("turns"));
        for (Map<String, String> run : List.of(sessions, zgc)) {
            out.printf("%s calls, %-4s        GC pauses %s in %s s, p99 %s ms, max %s ms (goal < 10 ms); CPU %s cores%n",
                    run.get("sessions"), run.get("gc") + ":", run.get("gc_pauses"), run.get("seconds"),
                    run.get("gc_pause_p99_ms"), run.get("gc_pause_max_ms"), run.get("cpu_cores"));
            if (!run.get("dropped_frames").equals("0") || !run.get("ended_early").equals("0")
                    || Double.parseDouble(run.get("pacing_late_p99_ms")) > 20) {
                out.printf("WARNING: the %s calls on %s did not keep up with real time (pacing p99 %s ms late, %s frames"
                        + " dropped): the machine was overloaded%n", run.get("sessions"), run.get("gc"),
                        run.get("pacing_late_p99_ms"), run.get("dropped_frames"));
            }
        }
        loadSampler.interrupt();
        Stats load;
        synchronized (loads) {
            loads.add(loadAverage());
            load = new Stats(loads.stream().mapToDouble(Double::doubleValue).toArray());
        }
        out.printf(Locale.ROOT, "load average (1 min) during the suite, every 10 s: min %.2f, median %.2f, max %.2f;"
                        + " at end %.2f; suite took %d s%n", load.min(), load.percentile(50), load.max(), loadAverage(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
        StringBuilder line = new StringBuilder("RESULT");
        result.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        out.println(line);
        return 0;
    }

    /** Runs the many-calls part in a JVM of its own with {@code jvmArgs}, logging {@code gcTags} to a temporary GC log. */
    private static Map<String, String> sessions(Plan plan, Path speech, List<String> jvmArgs, String gcTags)
            throws IOException, InterruptedException {
        Path gcLog = Files.createTempFile("palaver-bench-gc", ".log");
        try {
            List<String> args = new ArrayList<>(jvmArgs);
            args.add("-Xlog:" + gcTags + ":file=" + gcLog);
            return child(args, List.of("engine-sessions",
                    "--sessions", String.valueOf(plan.sessions()), "--seconds", String.valueOf(plan.sessionSeconds()),
                    "--warmup-seconds", String.valueOf(plan.sessionWarmupSeconds()), "--vad", "silero",
                    "--speech", speech.toString(), "--gc-log", gcLog.toString()), "SESSIONS");
        } finally {
            Files.deleteIfExists(gcLog);
        }
    }

    /** {@code engine-turns}: the turn-overhead measurement in this JVM; last line {@code TURNS key=value…}. */
    public static int turns(List<String> args) throws Exception {
        Map<String, String> options = parse(args, Map.of("--turns", true, "--warmup", true, "--vad", true,
                "--speech", true));
        String vad = options == null ? null : options.getOrDefault("--vad", "energy");
        if (options == null || !List.of("energy", "silero").contains(vad)
                || vad.equals("silero") != options.containsKey("--speech")) {
            System.err.println("usage: engine-turns [--turns N] [--warmup N] [--vad energy | --vad silero --speech WAV]");
            return 2;
        }
        int turns = Integer.parseInt(options.getOrDefault("--turns", "2000"));
        int warmup = Integer.parseInt(options.getOrDefault("--warmup", "200"));
        SileroModel model = null;
        TurnOverhead.Caller caller;
        if (vad.equals("silero")) {
            SileroModel loaded = SileroModel.load(SileroModel.defaultPath());
            model = loaded;
            caller = new TurnOverhead.Caller("silero", loaded::newDetector,
                    CallerAudio.fromPcm16k(CallerAudio.readSpeech(Path.of(options.get("--speech")))));
        } else {
            caller = TurnOverhead.Caller.synthetic();
        }
        out.printf("  %s VAD; %d warm-up turns, then %d measured%n", vad, warmup, turns);
        TurnOverhead.Result result;
        try {
            result = TurnOverhead.run(warmup, turns, caller, out);
        } finally {
            if (model != null) {
                model.close();
            }
        }
        Stats overhead = new Stats(result.overheadMillis());
        Stats engine = new Stats(result.engineOverheadMillis());
        out.println("  end-of-turn condition met -> first answer frame to the transport (ms): " + overhead.summary(3));
        out.println("  the engine's own platformOverhead metric, same turns (ms):          " + engine.summary(3));
        out.println("  where the time goes (ms), each part on its own:");
        out.println("    condition met -> loop decides the turn is over: " + new Stats(result.decidedMillis()).summary(3));
        out.println("    model asked -> first token back (hand-off):     " + new Stats(result.llmMillis()).summary(3));
        out.println("    synthesis asked -> first audio back (hand-off): " + new Stats(result.ttsMillis()).summary(3));
        out.printf("  turns where the final transcript came after the endpointing delay: %d%n",
                result.endedByTranscript());
        out.printf(Locale.ROOT, "TURNS turns=%d p50_ms=%.3f p99_ms=%.3f max_ms=%.3f engine_p50_ms=%.3f engine_p99_ms=%.3f%n",
                overhead.count(), overhead.percentile(50), overhead.percentile(99), overhead.max(),
                engine.percentile(50), engine.percentile(99));
        return 0;
    }

    /** {@code engine-sessions}: many calls in this JVM, which must write its GC log to {@code --gc-log}. */
    public static int sessions(List<String> args) throws Exception {
        Map<String, String> options = parse(args, Map.of("--sessions", true, "--seconds", true,
                "--warmup-seconds", true, "--vad", true, "--speech", true, "--gc-log", true));
        if (options == null || !options.containsKey("--speech") || !options.containsKey("--gc-log")) {
            System.err.println("usage: java -Xlog:gc:file=LOG -jar palaver-bench.jar engine-sessions --gc-log LOG"
                    + " --speech DIR [--sessions N] [--seconds S] [--warmup-seconds S] [--vad silero|energy]");
            return 2;
        }
        Path gcLog = Path.of(options.get("--gc-log"));
        if (!ConcurrentSessions.gcLogConfigured(gcLog)) {
            System.err.println("engine-sessions reads GC pauses from the JVM's log: start the JVM with -Xlog:gc:file="
                    + gcLog);
            return 2;
        }
        String vad = options.getOrDefault("--vad", "silero");
        if (!vad.equals("silero") && !vad.equals("energy")) {
            System.err.println("--vad must be silero or energy");
            return 2;
        }
        ConcurrentSessions.Options o = new ConcurrentSessions.Options(
                Integer.parseInt(options.getOrDefault("--sessions", "200")),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("--warmup-seconds", "10"))),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("--seconds", "60"))),
                vad, Path.of(options.get("--speech")), gcLog);
        ConcurrentSessions.Result r = ConcurrentSessions.run(o, out);
        out.printf(Locale.ROOT, "  %d calls (%s VAD) for %.1f s: %d frames in, %.2f us CPU per frame (all work, GC included)%n",
                r.sessions(), r.vad(), r.seconds(), r.framesFed(), r.cpuMicrosPerFrame());
        out.printf(Locale.ROOT, "  process CPU %.2f cores of %d; load average %.2f%n", r.cpuCores(),
                Runtime.getRuntime().availableProcessors(), r.loadAverage());
        out.println("  GC pauses while measuring (ms): " + r.gcPausesMillis().summary(2));
        out.printf(Locale.ROOT, "  GC pauses over the whole run, warm-up included: %d, max %.2f ms%n",
                r.gcPausesWholeRun(), r.gcPauseMaxWholeRunMillis());
        out.println("  caller pacing thread lateness (ms): " + r.feederLateMillis().summary(3));
        out.printf("  frames dropped by full mailboxes: %d; calls that ended early: %d%n", r.droppedFrames(),
                r.callsEnded());
        out.printf("  turns answered: %d, barge-ins: %d%n", r.turns(), r.interruptions());
        out.println("  end of speech -> first answer audio, provider latencies included (ms): "
                + r.firstAudioOutMillis().summary(1));
        out.println("  the engine's platformOverhead metric under this load (ms): " + r.engineOverheadMillis().summary(3));
        r.turnParts().forEach((name, stats) -> out.printf("    %-16s (ms): %s%n", name, stats.summary(1)));
        double p99 = r.gcPausesMeasured() == 0 ? 0 : r.gcPausesMillis().percentile(99);
        double max = r.gcPausesMeasured() == 0 ? 0 : r.gcPausesMillis().max();
        out.printf(Locale.ROOT, "SESSIONS gc=%s sessions=%d seconds=%.0f gc_pauses=%d gc_pause_p99_ms=%.2f gc_pause_max_ms=%.2f"
                        + " cpu_cores=%.2f dropped_frames=%d ended_early=%d turns=%d pacing_late_p99_ms=%.1f%n",
                collector(), r.sessions(), r.seconds(), r.gcPausesMeasured(), p99, max, r.cpuCores(), r.droppedFrames(),
                r.callsEnded(), r.turns(), r.feederLateMillis().percentile(99));
        if (r.droppedFrames() > 0 || r.callsEnded() > 0 || r.feederLateMillis().percentile(99) > AudioFormat.FRAME_MILLIS) {
            out.println("  WARNING: this run did not keep up with real time (late pacing, dropped frames or calls"
                    + " that ended): the machine was overloaded and these figures describe overload");
        }
        return 0;
    }

    // ---- JMH

    private static Map<String, RunResult> runJmh(Plan plan) throws Exception {
        Options options = new OptionsBuilder()
                .include(FrameBenchmark.class.getName() + "\\.")
                .include(VadBenchmark.class.getName() + "\\.")
                .forks(1)
                .warmupIterations(plan.jmhWarmups())
                .warmupTime(TimeValue.seconds(plan.jmhWarmupSeconds()))
                .measurementIterations(plan.jmhIterations())
                .measurementTime(TimeValue.seconds(plan.jmhIterationSeconds()))
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend(NATIVE_ACCESS, UNSAFE_ALLOWED)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, RunResult> byName = new HashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            String vad = r.getParams().getParam("vad");
            byName.put(vad == null ? method : method + "[" + vad + "]", r);
        }
        for (String wanted : List.of("frame[silero]", "frame[energy]", "sileroWindow", "energyWindow", "telephoneEdge")) {
            if (!byName.containsKey(wanted)) {
                throw new IllegalStateException("JMH produced no result for " + wanted + ": " + byName.keySet());
            }
        }
        return byName;
    }

    private static double p99(RunResult r) {
        return p(r, 99);
    }

    private static double p(RunResult r, double percentile) {
        return r.getPrimaryResult().getStatistics().getPercentile(percentile);
    }

    private static double allocPerOp(RunResult r) {
        Result<?> norm = r.getSecondaryResults().get("gc.alloc.rate.norm");
        if (norm == null) {
            throw new IllegalStateException("the GC profiler reported no gc.alloc.rate.norm");
        }
        return norm.getScore();
    }

    // ---- child JVMs

    /**
     * Runs a part of the suite in a JVM of its own (same java, same class path), echoing its output, and
     * returns the key=value pairs of its last line starting with {@code tag}.
     */
    private static Map<String, String> child(List<String> jvmArgs, List<String> args, String tag)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add(NATIVE_ACCESS);
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.palaver.bench.Main");
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().close();
        String last = null;
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String lineRead;
            while ((lineRead = reader.readLine()) != null) {
                if (lineRead.startsWith(tag + " ")) {
                    last = lineRead;
                } else {
                    out.println(lineRead);
                }
            }
        }
        int status = process.waitFor();
        if (last == null) {
            throw new IllegalStateException(args.getFirst() + " failed (exit " + status + ") without a " + tag + " line");
        }
        out.println("  " + last);
        if (status != 0) {
            throw new IllegalStateException(args.getFirst() + " exited with " + status + ": " + last);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : last.substring(tag.length() + 1).split(" ")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return values;
    }

    // ---- helpers

    /**
     * Parses {@code --flag} and {@code --option value} arguments against the allowed names (true: takes a
     * value); null on anything unknown or malformed.
     */
    private static Map<String, String> parse(List<String> args, Map<String, Boolean> allowed) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            Boolean takesValue = allowed.get(name);
            if (takesValue == null) {
                System.err.println("unknown option " + name);
                return null;
            }
            if (takesValue) {
                if (i + 1 == args.size()) {
                    System.err.println(name + " needs a value");
                    return null;
                }
                values.put(name, args.get(++i));
            } else {
                values.put(name, "");
            }
        }
        return values;
    }

    /** The collector this JVM runs: G1, ZGC, or the names of its collector beans. */
    private static String collector() {
        List<String> names = ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList();
        if (names.stream().anyMatch(n -> n.startsWith("G1"))) {
            return "G1";
        }
        if (names.stream().anyMatch(n -> n.startsWith("ZGC"))) {
            return "ZGC";
        }
        return String.join("+", names).replace(' ', '_');
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
