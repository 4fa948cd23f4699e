package dev.palaver.bench.calls;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JVM process from outside: CPU time and resident memory from {@code /proc}, live heap after a full
 * collection ({@code jcmd PID GC.run}, then the heap pools from the server's Prometheus scrape), and GC pauses
 * from its GC log ({@code -Xlog:gc*,gc+phases=info:file=…}, every line that reports a pause in ms).
 */
final class ServerProbe {

    /** Linux's USER_HZ, the unit of /proc/PID/stat times, is 100 on every mainstream build. */
    private static final long TICK_NANOS = 10_000_000L;
    private static final Pattern PAUSE = Pattern.compile("Pause.*?([0-9]+\\.[0-9]+)ms\\s*$");
    private static final Pattern HEAP_LINE = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.eE+-]+)$");

    private final long pid;
    private final Path gcLog;
    private final Path jcmd;
    private final HttpClient http;
    private final String baseUrl;
    private long gcLogOffset;

    ServerProbe(long pid, Path gcLog, Path javaHome, HttpClient http, String baseUrl) {
        this.pid = pid;
        this.gcLog = gcLog;
        this.jcmd = javaHome.resolve("bin/jcmd");
        this.http = http;
        this.baseUrl = baseUrl;
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

    /** The heap in use just after a full collection (what the live calls hold), in bytes. */
    long liveHeapBytes() throws IOException, InterruptedException {
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " GC.run failed");
        }
        HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        if (scrape.statusCode() != 200) {
            throw new IOException("the metrics scrape answered " + scrape.statusCode());
        }
        double used = 0;
        boolean found = false;
        for (String line : scrape.body().split("\n")) {
            Matcher m = HEAP_LINE.matcher(line);
            if (m.matches()) {
                used += Double.parseDouble(m.group(1));
                found = true;
            }
        }
        if (!found) {
            throw new IOException("the metrics scrape has no jvm_memory_used_bytes for the heap");
        }
        return (long) used;
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
