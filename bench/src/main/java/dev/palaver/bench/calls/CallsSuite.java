package dev.palaver.bench.calls;

import dev.palaver.bench.Stats;
import dev.palaver.bench.fakes.FakeDelays;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.DoubleStream;

/**
 * {@code bench calls}: the call simulator's process. Against a running Palaver (started by {@code bench/run
 * calls} with the fake providers in a process of their own) it sets up an organization as an admin would
 * (provider credentials pointing at the fakes, an agent, a Twilio account and number), then ramps the
 * number of concurrent phone calls and measures each level twice. Capacity is the highest level whose
 * two windows both hold every gate. Ends with {@code RESULT suite=calls …}.
 */
public final class CallsSuite {

    static final int[] FULL_LEVELS = {1, 10, 25, 50, 100, 150, 200, 250, 300, 350, 400};
    static final int[] SMOKE_LEVELS = {1, 5};
    static final int ENDPOINTING_MS = 500;
    static final int WARMUP_CALLS = 2;
    static final int WARMUP_WINDOW_SECONDS = 5;

    private CallsSuite() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        Options o = Options.parse(args);
        FakeDelays delays = FakeDelays.parse(args);
        TurnPlan plan = TurnPlan.standard(ENDPOINTING_MS, delays);
        CallerSpeech speech = CallerSpeech.load(o.speech());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        PalaverApi api = new PalaverApi(http, o.server()).login(o.adminEmail(), o.adminPassword());
        TwilioLine line = BenchOrganization.setUp(api, o.stt(), o.http(), ENDPOINTING_MS, o.server());
        ServerProbe server = new ServerProbe(o.serverPid(), o.gcLog(), Path.of(System.getProperty("java.home")));
        List<Long> harness = new ArrayList<>(o.fakesPids());
        harness.add(ProcessHandle.current().pid());
        LevelRun levels = new LevelRun(http, line, speech, plan, server, harness, new EngineTurns(api), out);
        out.println("fake providers: " + delays + "; subtracted per turn: "
                + plan.providerAndEndpointingMillis() + " ms (endpointing " + ENDPOINTING_MS + " ms)");
        String sileroLag = SileroLag.summary(SileroLag.measure(speech));
        out.println(sileroLag);
        out.println(WindowResult.header());
        // A short unreported level first: the first call's one-time work (class loading, JIT, pools) is no call's cost.
        int index = WARMUP_CALLS;
        levels.run(WARMUP_CALLS, o.settleSeconds(), WARMUP_WINDOW_SECONDS, 0);
        out.println("  (warm-up above, not reported)");
        List<WindowResult> all = new ArrayList<>();
        int capacity = 0;
        for (int level : o.levels()) {
            List<WindowResult> windows = levels.run(level, o.settleSeconds(), o.windowSeconds(), index);
            index += level;
            all.addAll(windows);
            boolean holds = windows.stream().allMatch(w -> w.failedGates().isEmpty());
            if (holds) {
                capacity = level;
            }
            if (collapsed(windows)) {
                out.println("  the server is overloaded at " + level + " calls: the ramp stops here");
                break;
            }
        }
        CallsReport report = new CallsReport(all, capacity, delays, plan, sileroLag);
        if (o.report() != null) {
            report.write(o.report(), o.chart(), o.command());
            out.println("wrote " + o.report() + " and " + o.chart());
        }
        out.println(report.resultLine());
        return 0;
    }

    /** Far past any gate: turns not answered, or answers later than a second past the providers' time. */
    static boolean collapsed(List<WindowResult> windows) {
        return windows.stream().allMatch(w -> w.overhead().count() == 0 || w.overhead().percentile(99) > 1_000
                || w.errors() > Math.max(5, w.calls().turns() / 20));
    }

    /** The figures reported for the run: at capacity, or at the first level when none held. */
    static List<WindowResult> reported(List<WindowResult> all, int capacity) {
        int level = capacity > 0 ? capacity : all.getFirst().level();
        return all.stream().filter(w -> w.level() == level).toList();
    }

    static Stats pooled(List<WindowResult> windows, java.util.function.Function<WindowResult, double[]> values) {
        return new Stats(windows.stream().flatMapToDouble(w -> DoubleStream.of(values.apply(w))).toArray());
    }

    /** Command-line options of {@code bench calls}. */
    record Options(String server, long serverPid, Path gcLog, String stt, String http, Path speech, List<Long> fakesPids,
            int[] levels, int settleSeconds, int windowSeconds, String adminEmail, String adminPassword,
            Path report, Path chart, String command) {

        static Options parse(List<String> args) {
            Map<String, String> v = new java.util.HashMap<>();
            boolean smoke = false;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("--smoke")) {
                    smoke = true;
                } else if (a.startsWith("--") && i + 1 < args.size()) {
                    v.put(a, args.get(++i));
                } else {
                    throw new IllegalArgumentException("unexpected argument: " + a);
                }
            }
            int[] levels = v.containsKey("--levels")
                    ? Arrays.stream(v.get("--levels").split(",")).mapToInt(Integer::parseInt).toArray()
                    : smoke ? SMOKE_LEVELS : FULL_LEVELS;
            return new Options(required(v, "--server"), Long.parseLong(required(v, "--server-pid")),
                    Path.of(required(v, "--gc-log")), required(v, "--stt"), required(v, "--http"),
                    Path.of(required(v, "--speech")),
                    v.containsKey("--fakes-pid") ? List.of(Long.parseLong(v.get("--fakes-pid"))) : List.of(),
                    levels, Integer.parseInt(v.getOrDefault("--settle-seconds", smoke ? "4" : "6")),
                    Integer.parseInt(v.getOrDefault("--window-seconds", smoke ? "20" : "30")),
                    v.getOrDefault("--admin-email", "admin@palaver.local"), required(v, "--admin-password"),
                    v.containsKey("--report") ? Path.of(v.get("--report")) : null,
                    v.containsKey("--chart") ? Path.of(v.get("--chart")) : null,
                    v.getOrDefault("--command", "bench/run calls"));
        }

        private static String required(Map<String, String> v, String name) {
            String value = v.get(name);
            if (value == null) {
                throw new IllegalArgumentException(name + " is required");
            }
            return value;
        }
    }

}
