package dev.palaver.bench.calls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A one-line description of the machine a benchmark ran on. */
final class Machine {

    private Machine() {
    }

    /** The one-minute load average, NaN where there is none. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static String describe() {
        String cpu = "unknown CPU";
        // The machine's processors, not this process's share (the benchmark runs under taskset).
        long cores = Runtime.getRuntime().availableProcessors();
        try {
            List<String> info = Files.readAllLines(Path.of("/proc/cpuinfo"));
            cpu = info.stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse(cpu);
            cores = info.stream().filter(l -> l.startsWith("processor")).count();
        } catch (IOException e) {
            // Not Linux: the name stays unknown.
        }
        long memGb = Math.round(((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / 1e9);
        return cores + " × " + cpu + ", " + memGb + " GB RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version");
    }
}
