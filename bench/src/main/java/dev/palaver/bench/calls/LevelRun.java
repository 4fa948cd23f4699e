package dev.palaver.bench.calls;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One load level: dial {@code calls} callers (at most {@value #DIALS_PER_SECOND} a second, as a carrier
 * would deliver a burst), let them settle, measure two windows, take the live heap per call, hang up.
 */
final class LevelRun {

    static final int DIALS_PER_SECOND = 10;

    private final HttpClient http;
    private final TwilioLine line;
    private final CallerSpeech speech;
    private final TurnPlan plan;
    private final ServerProbe server;
    private final List<Long> harnessPids;
    private final EngineTurns engineTurns;
    private final PrintStream out;

    LevelRun(HttpClient http, TwilioLine line, CallerSpeech speech, TurnPlan plan, ServerProbe server,
            List<Long> harnessPids, EngineTurns engineTurns, PrintStream out) {
        this.http = http;
        this.line = line;
        this.speech = speech;
        this.plan = plan;
        this.server = server;
        this.harnessPids = harnessPids;
        this.engineTurns = engineTurns;
        this.out = out;
    }

    List<WindowResult> run(int calls, int settleSeconds, int windowSeconds, int firstIndex) throws Exception {
        Map<String, Long> heapBefore = server.liveHeap();
        Instant started = Instant.now();
        CallerMeasures measures = new CallerMeasures();
        List<SimulatedCaller> callers = new ArrayList<>(calls);
        try (Ticker ticker = new Ticker(measures);
             ExecutorService dialers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<SimulatedCaller>> dialed = new ArrayList<>(calls);
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                long due = start + i * 1_000_000_000L / DIALS_PER_SECOND;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int index = firstIndex + i;
                dialed.add(dialers.submit(() -> {
                    SimulatedCaller c = SimulatedCaller.dial(http, line, index, speech, plan, measures);
                    ticker.add(c);
                    return c;
                }));
            }
            int failedDials = 0;
            for (Future<SimulatedCaller> f : dialed) {
                try {
                    callers.add(f.get(60, TimeUnit.SECONDS));
                } catch (Exception e) {
                    failedDials++;
                    if (failedDials <= 3) {
                        out.println("  a call could not be placed: " + rootMessage(e));
                    }
                }
            }
            TimeUnit.SECONDS.sleep(settleSeconds);
            measures.take();
            List<WindowResult> windows = new ArrayList<>(2);
            for (int w = 1; w <= 2; w++) {
                windows.add(window(calls, w, windowSeconds, measures, w == 1 ? failedDials : 0));
                out.println("  " + windows.getLast().row());
            }
            Map<String, Long> heapWith = server.liveHeap();
            int live = Math.max(1, callers.size());
            double kbPerCall = (heapWith.get(ServerProbe.TOTAL) - heapBefore.get(ServerProbe.TOTAL)) / 1024.0 / live;
            out.println("  " + ServerProbe.topGrowth(heapBefore, heapWith, live, 8));
            for (SimulatedCaller c : callers) {
                // Off the ticker first: a caller's state belongs to one thread at a time.
                ticker.remove(c);
                c.hangUp();
            }
            TimeUnit.SECONDS.sleep(2);
            out.println("  " + engineTurns.summary(started, 50));
            return windows.stream().map(r -> r.withHeap(kbPerCall)).toList();
        }
    }

    private WindowResult window(int calls, int number, int seconds, CallerMeasures measures, int failedDials)
            throws Exception {
        server.markGcLog();
        long wallStart = System.nanoTime();
        long serverCpu = server.cpuNanos();
        long harnessCpu = harnessCpu();
        TimeUnit.SECONDS.sleep(seconds);
        CallerMeasures.Window w = measures.take();
        long wall = System.nanoTime() - wallStart;
        double serverPct = 100.0 * (server.cpuNanos() - serverCpu) / wall;
        double harnessPct = 100.0 * (harnessCpu() - harnessCpu) / wall;
        if (failedDials > 0) {
            w = new CallerMeasures.Window(w.overheadMs(), w.pacingErrorMs(), w.bargeInMs(), w.tickLateMs(), w.turns(),
                    w.underruns(), w.framesAfterClear(), w.bargeInsMissed(), w.noAnswer(), w.errors() + failedDials,
                    w.framesPlayed());
        }
        return new WindowResult(calls, number, w, serverPct, harnessPct, server.rssBytes() / 1e6, Double.NaN,
                server.pausesSinceMark(), Machine.loadAverage());
    }

    /** CPU time of the simulator and the fake providers together. */
    private long harnessCpu() throws IOException {
        long total = 0;
        for (long pid : harnessPids) {
            total += ServerProbe.cpuNanos(pid);
        }
        return total;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof IOException ? t.getMessage() : t.toString();
    }
}
