package dev.palaver.bench.calls;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JVM process from outside: CPU time and resident memory from {@code /proc}, live heap from a class
 * histogram ({@code jcmd PID GC.class_histogram}), and GC pauses
 * from its GC log ({@code -Xlog:gc*,gc+phases=info:file=…}, every line that reports a pause in ms).
 */
final class ServerProbe {

    /** Linux's USER_HZ, the unit of /proc/PID/stat times, is 100 on every mainstream build. */
    private static final long TICK_NANOS = 10_000_000L;
    private static final Pattern PAUSE = Pattern.compile("Pause.*?([0-9]+\\.[0-9]+)ms\\s*$");

    private final long pid;
    private final Path gcLog;
    private final Path jcmd;
    private long gcLogOffset;

    ServerProbe(long pid, Path gcLog, Path javaHome) {
        this.pid = pid;
        this.gcLog = gcLog;
        this.jcmd = javaHome.resolve("bin/jcmd");
    }

    /** User plus system CPU time of a process, in nanoseconds. */
    static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // Fields after the command name, which is in parentheses and may hold spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS;
    }

    long cpuNanos() throws IOException {
        return cpuNanos(pid);
    }

    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }

    /** Live objects by class (bytes), from one class histogram; the total is under {@link #TOTAL}. */
    static final String TOTAL = "(total)";

    /**
     * Bytes of live objects on the heap, by class and in total: {@code jcmd PID GC.class_histogram}, which
     * collects first (exact, where "heap used" counts whole pages: 2 MB at a time on ZGC).
     */
    Map<String, Long> liveHeap() throws IOException, InterruptedException {
        Process histogram = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        Map<String, Long> bytes = new HashMap<>();
        try (var lines = histogram.inputReader().lines()) {
            for (String line : (Iterable<String>) lines::iterator) {
                String[] f = line.trim().split("\\s+");
                if (line.startsWith("Total ") && f.length >= 3) {
                    bytes.put(TOTAL, Long.parseLong(f[2]));
                } else if (f.length >= 4 && f[0].endsWith(":")) {
                    bytes.merge(f[3], Long.parseLong(f[2]), Long::sum);
                }
            }
        }
        if (!histogram.waitFor(60, TimeUnit.SECONDS) || histogram.exitValue() != 0 || !bytes.containsKey(TOTAL)) {
            throw new IOException("jcmd " + pid + " GC.class_histogram failed");
        }
        return bytes;
    }

    /** The classes whose live bytes grew most from {@code before} to {@code after}, per call, as text. */
    static String topGrowth(Map<String, Long> before, Map<String, Long> after, int calls, int top) {
        return after.entrySet().stream()
                .filter(e -> !e.getKey().equals(TOTAL))
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .map(e -> String.format(java.util.Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / 1024.0 / calls))
                .collect(java.util.stream.Collectors.joining(", ", "live heap per call by class (KB): ", ""));
    }

    /** Skips the GC log to its end: {@link #pausesSinceMark()} then reports only later pauses. */
    void markGcLog() throws IOException {
        gcLogOffset = Files.exists(gcLog) ? Files.size(gcLog) : 0;
    }

    /** GC pauses (ms) logged since the last mark. */
    List<Double> pausesSinceMark() throws IOException {
        List<Double> pauses = new ArrayList<>();
        if (!Files.exists(gcLog)) {
            return pauses;
        }
        try (RandomAccessFile f = new RandomAccessFile(gcLog.toFile(), "r")) {
            long end = f.length();
            if (end < gcLogOffset) {
                gcLogOffset = 0;
            }
            byte[] bytes = new byte[(int) (end - gcLogOffset)];
            f.seek(gcLogOffset);
            f.readFully(bytes);
            gcLogOffset = end;
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                Matcher m = PAUSE.matcher(line);
                if (m.find()) {
                    pauses.add(Double.parseDouble(m.group(1)));
                }
            }
        }
        return pauses;
    }
}
