package dev.palaver.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway {@code redis-server} (from PATH) on a loopback port of its own, owned by the test: it can
 * be killed and started again on the same port. No persistence.
 */
public final class TestRedis implements AutoCloseable {

    private static String sharedUrl;

    private final int port;
    private final String password;
    private final Path dir;
    private Process process;

    private TestRedis(int port, String password, Path dir) {
        this.port = port;
        this.password = password;
        this.dir = dir;
    }

    public static TestRedis start() {
        return start(null);
    }

    /** A server that requires {@code password} (AUTH), or none when it is null. */
    public static TestRedis start(String password) {
        try {
            TestRedis redis = new TestRedis(Ports.free(), password, Files.createTempDirectory("palaver-test-redis"));
            redis.launch();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The Redis that {@code scripts/test} started ({@code PALAVER_TEST_REDIS_URL}), or a throwaway one
     * started once per JVM when a developer runs plain {@code mvn test}.
     */
    public static synchronized String sharedUrl() {
        if (sharedUrl == null) {
            String url = System.getenv("PALAVER_TEST_REDIS_URL");
            if (url != null && !url.isBlank()) {
                sharedUrl = url;
            } else {
                TestRedis redis = start();
                Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "test-redis-stop"));
                sharedUrl = redis.url();
            }
        }
        return sharedUrl;
    }

    public String url() {
        return "redis://" + (password == null ? "" : ":" + password + "@") + "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** SIGKILL: the server disappears without closing anything cleanly. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("redis-server did not die");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Starts it again on the same port. */
    public void restart() {
        kill();
        launch();
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of("redis-server",
                "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", dir.toString(), "--logfile", ""));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not run redis-server (is it on PATH?)", e);
        }
        awaitAnswering();
    }

    private void awaitAnswering() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see " + dir.resolve("redis.log"));
            }
            if (answersPing()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer within 15 s");
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = new byte[64];
            int n = in.read(reply);
            String answer = n <= 0 ? "" : new String(reply, 0, n, StandardCharsets.US_ASCII);
            return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        kill();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; nothing depends on its removal
        }
    }
}
