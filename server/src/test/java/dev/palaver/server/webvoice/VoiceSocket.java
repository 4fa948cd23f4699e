package dev.palaver.server.webvoice;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.server.testing.Http;

/**
 * A browser's side of {@code /webvoice} for tests: a real WebSocket client that sends JSON and paced PCM16
 * frames, collects what comes back, and (like the page) echoes marks once the audio before them would have
 * played in real time.
 */
final class VoiceSocket implements AutoCloseable {

    private final HttpClient client = HttpClient.newHttpClient();
    private final WebSocket socket;
    final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final List<JsonNode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicInteger audioFrames = new AtomicInteger();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final boolean echoMarks;
    private volatile long playedUntilNanos;

    VoiceSocket(int port, String origin, boolean echoMarks) {
        this.echoMarks = echoMarks;
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            builder.header("Origin", origin);
        }
        socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/webvoice"), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    JsonNode message = Http.json(text.toString());
                    text.setLength(0);
                    seen.add(message);
                    if (echoMarks && "mark".equals(message.path("type").asString())) {
                        echoWhenPlayed(message.get("name").asString());
                    } else {
                        messages.add(message);
                    }
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                int samples = data.remaining() / 2;
                long now = System.nanoTime();
                playedUntilNanos = Math.max(playedUntilNanos, now) + samples * 1_000_000_000L / AudioFormat.SAMPLE_RATE;
                audioFrames.incrementAndGet();
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                closed.complete(status);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(-1);
            }
        }).join();
    }

    private void echoWhenPlayed(String name) {
        long delay = Math.max(0, playedUntilNanos - System.nanoTime());
        CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS)
                .execute(() -> send("{\"type\":\"mark\",\"name\":\"" + name + "\"}"));
    }

    synchronized void send(String json) {
        socket.sendText(json, true).join();
    }

    /** Sends audio as 20 ms frames, one every 20 ms. */
    void speak(short[] samples) throws InterruptedException {
        int frame = AudioFormat.SAMPLES_PER_FRAME;
        long next = System.nanoTime();
        for (int at = 0; at < samples.length; at += frame) {
            int n = Math.min(frame, samples.length - at);
            ByteBuffer bytes = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                bytes.putShort(samples[at + i]);
            }
            bytes.flip();
            synchronized (this) {
                socket.sendBinary(bytes, true).join();
            }
            next += 20_000_000L;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    /** The next message that matches, waiting at most {@code timeout}; fails naming what came instead. */
    JsonNode await(Predicate<JsonNode> wanted, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode m = left <= 0 ? null : messages.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no " + what + " within " + timeout + "; got " + skipped);
            }
            if (wanted.test(m)) {
                return m;
            }
            skipped.add(m);
        }
    }

    static Predicate<JsonNode> type(String type) {
        return m -> type.equals(m.path("type").asString());
    }

    static Predicate<JsonNode> caption(String role, boolean isFinal) {
        return m -> "caption".equals(m.path("type").asString()) && role.equals(m.path("role").asString())
                && m.path("final").asBoolean() == isFinal;
    }

    /** Drops the connection without a hang-up, as a network loss does. */
    void drop() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.abort();
        }
        client.close();
    }
}
