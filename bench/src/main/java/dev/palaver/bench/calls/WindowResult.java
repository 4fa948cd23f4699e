package dev.palaver.bench.calls;

import dev.palaver.bench.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One measurement window at one load level: what the callers measured and what the server process used.
 *
 * @param level         concurrent calls
 * @param window        1 or 2 (a level holds when both windows pass every gate)
 * @param heapPerCallKb live heap per call (level-wide, after both windows); NaN until measured
 * @param loadAverage   the machine's one-minute load average at the window's end (other work skews figures)
 */
record WindowResult(int level, int window, CallerMeasures.Window calls, double serverCpuPercent,
        double harnessCpuPercent, double rssMb, double heapPerCallKb, List<Double> gcPausesMs, double loadAverage) {

    /** The goals of issue 9; a level holds when every gate holds in both of its windows. */
    static final double OVERHEAD_P50_MS = 10;
    static final double OVERHEAD_P99_ONE_CALL_MS = 40;
    static final double OVERHEAD_P99_MS = 50;
    static final double PACING_P99_MS = 5;
    static final double BARGE_IN_P99_MS = 10;
    static final double HEAP_PER_CALL_KB = 1024;

    Stats overhead() {
        return new Stats(calls.overheadMs());
    }

    Stats pacing() {
        return new Stats(calls.pacingErrorMs());
    }

    Stats bargeIn() {
        return new Stats(calls.bargeInMs());
    }

    Stats tickLate() {
        return new Stats(calls.tickLateMs());
    }

    double gcPauseMaxMs() {
        return gcPausesMs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    double gcPauseTotalMs() {
        return gcPausesMs.stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Errors of any kind: failed streams, unanswered turns, interruptions that did not stop the agent. */
    long errors() {
        return calls.errors() + calls.noAnswer() + calls.bargeInsMissed();
    }

    WindowResult withHeap(double kbPerCall) {
        return new WindowResult(level, window, calls, serverCpuPercent, harnessCpuPercent, rssMb, kbPerCall, gcPausesMs,
                loadAverage);
    }

    /** The gates this window fails, by name; empty when it holds. */
    List<String> failedGates() {
        List<String> failed = new ArrayList<>();
        Stats o = overhead();
        if (o.count() == 0) {
            failed.add("no turns");
        } else {
            if (o.percentile(50) > OVERHEAD_P50_MS) {
                failed.add("overhead p50");
            }
            if (o.percentile(99) > (level == 1 ? OVERHEAD_P99_ONE_CALL_MS : OVERHEAD_P99_MS)) {
                failed.add("overhead p99");
            }
        }
        if (pacing().count() > 0 && pacing().percentile(99) > PACING_P99_MS) {
            failed.add("pacing p99");
        }
        if (calls.framesAfterClear() > 0) {
            failed.add("frames after clear");
        }
        if (bargeIn().count() > 0 && bargeIn().percentile(99) > BARGE_IN_P99_MS) {
            failed.add("barge-in p99");
        }
        if (!Double.isNaN(heapPerCallKb) && heapPerCallKb > HEAP_PER_CALL_KB) {
            failed.add("heap per call");
        }
        if (errors() > 0) {
            failed.add("errors");
        }
        return failed;
    }

    static String header() {
        return "| calls | window | turns | overhead p50 / p95 / p99 ms | pacing p99 / max ms | underruns | frames after clear"
                + " | barge-in → clear p99 ms | server CPU % | harness CPU % | RSS MB | heap/call KB | GC pause max / total ms"
                + " | errors | ticker late p99 ms | load avg | gates |\n"
                + "|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|";
    }

    String row() {
        Stats o = overhead();
        Stats p = pacing();
        List<String> failed = failedGates();
        return String.format(Locale.ROOT,
                "| %d | %d | %d | %.1f / %.1f / %.1f | %.2f / %.2f | %d | %d | %s | %.0f | %.0f | %.0f | %s | %.2f / %.1f | %d | %.2f | %.1f | %s |",
                level, window, calls.turns(), o.percentile(50), o.percentile(95), o.percentile(99),
                p.percentile(99), p.max(), calls.underruns(), calls.framesAfterClear(),
                bargeIn().count() == 0 ? "–" : String.format(Locale.ROOT, "%.1f (n=%d)", bargeIn().percentile(99), bargeIn().count()),
                serverCpuPercent, harnessCpuPercent, rssMb,
                Double.isNaN(heapPerCallKb) ? "–" : String.format(Locale.ROOT, "%.0f", heapPerCallKb),
                gcPauseMaxMs(), gcPauseTotalMs(), errors(), tickLate().percentile(99), loadAverage,
                failed.isEmpty() ? "hold" : "fail: " + String.join(", ", failed));
    }
}
