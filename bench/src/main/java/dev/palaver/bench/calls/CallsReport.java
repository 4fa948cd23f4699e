package dev.palaver.bench.calls;

import dev.palaver.bench.Stats;
import dev.palaver.bench.fakes.FakeDelays;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The calls suite's figures: the RESULT line, and for a full run its section of docs/benchmarks.md and a chart. */
final class CallsReport {

    static final String BEGIN = "<!-- calls-suite:begin (written by bench/run calls) -->";
    static final String END = "<!-- calls-suite:end -->";

    private final List<WindowResult> windows;
    private final int capacity;
    private final FakeDelays delays;
    private final TurnPlan plan;
    private final String sileroLag;

    CallsReport(List<WindowResult> windows, int capacity, FakeDelays delays, TurnPlan plan, String sileroLag) {
        this.windows = List.copyOf(windows);
        this.capacity = capacity;
        this.delays = delays;
        this.plan = plan;
        this.sileroLag = sileroLag;
    }

    String resultLine() {
        List<WindowResult> at = CallsSuite.reported(windows, capacity);
        Stats overhead = CallsSuite.pooled(at, w -> w.calls().overheadMs());
        Stats pacing = CallsSuite.pooled(at, w -> w.calls().pacingErrorMs());
        Stats bargeIn = CallsSuite.pooled(at, w -> w.calls().bargeInMs());
        long afterClear = windows.stream().mapToLong(w -> w.calls().framesAfterClear()).sum();
        return String.format(Locale.ROOT, "RESULT suite=calls capacity=%d overhead_p50_ms=%.1f overhead_p99_ms=%.1f"
                        + " pacing_p99_ms=%.2f frames_after_clear=%d bargein_p99_ms=%.1f heap_per_call_kb=%.0f",
                capacity, overhead.percentile(50), overhead.percentile(99), pacing.percentile(99), afterClear,
                bargeIn.percentile(99), at.getFirst().heapPerCallKb());
    }

    /** Replaces (or appends) the calls section of {@code doc} and draws {@code chart}. */
    void write(Path doc, Path chart, String command) throws IOException {
        CallsChart.draw(windows, chart);
        String section = section(command, doc.getParent() == null ? chart : doc.getParent().relativize(chart));
        String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        String updated = b >= 0 && e > b
                ? text.substring(0, b) + section + text.substring(e + END.length())
                : text.stripTrailing() + "\n\n" + section + "\n";
        Files.writeString(doc, updated);
    }

    private String section(String command, Path chart) {
        String rows = windows.stream().map(WindowResult::row).collect(Collectors.joining("\n"));
        return BEGIN + "\n### Latest full run\n\n"
                + "Command: `" + command + "`\n\n"
                + "Machine: " + Machine.describe() + "\n\n"
                + "Fake providers: STT final " + delays.sttFinal().toMillis() + " ms after digital silence, words after "
                + delays.sttPartialAfter().toMillis() + " ms of speech; LLM first token " + delays.llmFirstToken().toMillis()
                + " ms, then " + delays.llmPerToken().toMillis() + " ms a word; TTS first byte " + delays.ttsFirstByte().toMillis()
                + " ms" + (delays.lognormalSigma() > 0 ? "; log-normal σ " + delays.lognormalSigma() : "; fixed")
                + ". Endpointing " + plan.endpointingMs() + " ms. Subtracted per turn: "
                + String.format(Locale.ROOT, "%.0f", plan.providerAndEndpointingMillis()) + " ms. " + sileroLag + ".\n\n"
                + "Capacity (every gate held in both windows): **" + capacity + " calls**. " + resultLine() + "\n\n"
                + WindowResult.header() + "\n" + rows + "\n\n"
                + "![Turn overhead, barge-in and CPU against concurrent calls](" + chart + ")\n"
                + END;
    }
}
