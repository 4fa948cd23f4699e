package dev.palaver.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A second JVM running a main class from this JVM's class path, with standard output and error in
 * files (so that nothing blocks on a full pipe and everything it printed can be read afterwards). The
 * child starts with none of the parent's PALAVER_*, SPRING_*, SERVER_* or JVM-option variables.
 */
public final class JavaProcess implements AutoCloseable {

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private JavaProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static JavaProcess start(String mainClass, Map<String, String> env, Path outputDir, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                // Startup, not peak speed, is what these short-lived JVMs need on a small machine.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                // As scripts/run starts the server: the offline voice calls flite and pocketsphinx through FFM.
                "--enable-native-access=ALL-UNNAMED",
                mainClass));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(outputDir);
            Path out = Files.createTempFile(outputDir, "stdout", ".txt");
            Path err = Files.createTempFile(outputDir, "stderr", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("PALAVER_") || k.startsWith("SPRING_")
                    || k.startsWith("SERVER_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS")
                    || k.equals("_JAVA_OPTIONS") || k.startsWith("LOGGING_"));
            pb.environment().putAll(env);
            return new JavaProcess(pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Process process() {
        return process;
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    /** Waits until a line of standard output satisfies {@code ready}; returns that line. */
    public String awaitStdoutLine(Predicate<String> ready, long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            for (String line : stdout().split("\n")) {
                if (ready.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("the process exited with " + process.exitValue() + " before it was ready\n"
                        + "stdout:\n" + tail(stdout()) + "\nstderr:\n" + tail(stderr()));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the process was not ready within " + timeoutSeconds + " s\nstdout:\n" + tail(stdout())
                + "\nstderr:\n" + tail(stderr()));
    }

    public int awaitExit(long timeoutSeconds) {
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the process did not exit within " + timeoutSeconds + " s\nstdout:\n"
                        + tail(stdout()) + "\nstderr:\n" + tail(stderr()));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(String text) {
        return text.length() <= 6000 ? text : "…" + text.substring(text.length() - 6000);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
