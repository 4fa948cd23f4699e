package dev.palaver.server.telephony;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.palaver.media.audio.MuLaw;
import dev.palaver.media.audio.Resampler;

/**
 * Twilio's side of a bidirectional media stream, as a real WebSocket client: sends connected and start
 * (with the stream token as a custom parameter), then one 160-byte μ-law frame every 20 ms (the caller's
 * queued speech, else silence). Audio the server sends is played in real time, 20 ms per frame; a mark is
 * echoed only once the audio sent before it has played; clear drops unplayed audio and echoes the pending
 * marks, as Twilio does. Can press keys, send stop, send garbage, or drop the socket.
 */
final class TwilioSimulator implements AutoCloseable {

    private static final long FRAME_NANOS = 20_000_000L;
    private static final byte SILENCE = (byte) 0xFF;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private sealed interface Played permits Frame, Mark {
    }

    private record Frame(byte[] mulaw) implements Played {
    }

    private record Mark(String name) implements Played {
    }

    private final String streamSid = "MZ" + java.util.UUID.randomUUID().toString().replace("-", "");
    private final Object sendLock = new Object();
    private final ConcurrentLinkedQueue<byte[]> outgoing = new ConcurrentLinkedQueue<>();
    private final Deque<Played> playback = new ArrayDeque<>();
    private final List<short[]> heard = new ArrayList<>();
    private final List<String> marksEchoed = new ArrayList<>();
    private final AtomicInteger clears = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private volatile long startNanos;

    /** Connects, sending {@code beforeStart} (raw messages, out of order) between connected and start. */
    static TwilioSimulator connect(URI uri, String accountSid, String callSid, String token, String... beforeStart) {
        TwilioSimulator sim = new TwilioSimulator();
        sim.open(uri, accountSid, callSid, token, beforeStart);
        return sim;
    }

    private void open(URI uri, String accountSid, String callSid, String token, String... beforeStart) {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    onMessage(JSON.readTree(partial.toString()));
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                running.set(false);
                closed.complete(statusCode + " " + reason);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                running.set(false);
                closed.complete("error " + error);
            }
        }).join();
        send("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
        for (String early : beforeStart) {
            send(early);
        }
        send(("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"%s\",\"start\":{\"accountSid\":\"%s\","
                + "\"streamSid\":\"%s\",\"callSid\":\"%s\",\"tracks\":[\"inbound\"],\"customParameters\":{\"token\":\"%s\"},"
                + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}")
                .formatted(streamSid, accountSid, streamSid, callSid, token));
        startNanos = System.nanoTime();
        Thread.ofVirtual().name("twilio-sim-sender").start(this::sendLoop);
        Thread.ofVirtual().name("twilio-sim-player").start(this::playLoop);
    }

    private void sendLoop() {
        long next = System.nanoTime();
        int seq = 2;
        while (running.get() && sending.get()) {
            byte[] frame = outgoing.poll();
            if (frame == null) {
                frame = new byte[160];
                java.util.Arrays.fill(frame, SILENCE);
            }
            send("{\"event\":\"media\",\"sequenceNumber\":\"" + seq++ + "\",\"streamSid\":\"" + streamSid
                    + "\",\"media\":{\"track\":\"inbound\",\"payload\":\"" + Base64.getEncoder().encodeToString(frame) + "\"}}");
            next += FRAME_NANOS;
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }

    private void playLoop() {
        long next = System.nanoTime();
        while (running.get()) {
            List<String> echo = new ArrayList<>();
            synchronized (this) {
                while (playback.peekFirst() instanceof Mark(String name)) {
                    playback.pollFirst();
                    echo.add(name);
                }
                if (playback.peekFirst() instanceof Frame(byte[] mulaw)) {
                    playback.pollFirst();
                    short[] pcm = new short[mulaw.length];
                    MuLaw.decode(mulaw, 0, pcm, 0, mulaw.length);
                    heard.add(pcm);
                }
                while (playback.peekFirst() instanceof Mark(String name)) {
                    playback.pollFirst();
                    echo.add(name);
                }
            }
            echo.forEach(this::echoMark);
            next += FRAME_NANOS;
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }

    private void onMessage(JsonNode msg) {
        switch (msg.path("event").asString("")) {
            case "media" -> {
                synchronized (this) {
                    playback.addLast(new Frame(Base64.getDecoder().decode(msg.path("media").path("payload").asString())));
                }
            }
            case "mark" -> {
                synchronized (this) {
                    playback.addLast(new Mark(msg.path("mark").path("name").asString()));
                }
            }
            case "clear" -> {
                clears.incrementAndGet();
                List<String> pending = new ArrayList<>();
                synchronized (this) {
                    for (Played p : playback) {
                        if (p instanceof Mark(String name)) {
                            pending.add(name);
                        }
                    }
                    playback.clear();
                }
                pending.forEach(this::echoMark);
            }
            default -> {
            }
        }
    }

    private void echoMark(String name) {
        synchronized (marksEchoed) {
            marksEchoed.add(name);
        }
        send("{\"event\":\"mark\",\"streamSid\":\"" + streamSid + "\",\"mark\":{\"name\":\"" + name + "\"}}");
    }

    /** Queues the caller's speech (16 kHz) as 8 kHz μ-law frames. */
    void say(short[] pcm16k) {
        short[] pcm8 = Resampler.convert(pcm16k, 16_000, 8_000);
        for (int at = 0; at < pcm8.length; at += 160) {
            byte[] frame = new byte[160];
            java.util.Arrays.fill(frame, SILENCE);
            int n = Math.min(160, pcm8.length - at);
            MuLaw.encode(pcm8, at, frame, 0, n);
            outgoing.add(frame);
        }
    }

    void pressKey(char digit) {
        send("{\"event\":\"dtmf\",\"streamSid\":\"" + streamSid + "\",\"sequenceNumber\":\"9\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"" + digit + "\"}}");
    }

    /** Twilio's stop: the stream's media ends with it. */
    void stop() {
        sending.set(false);
        send("{\"event\":\"stop\",\"sequenceNumber\":\"99\",\"streamSid\":\"" + streamSid + "\",\"stop\":{}}");
    }

    void sendRaw(String text) {
        send(text);
    }

    /** The caller's line drops: the socket goes without a stop. */
    void drop() {
        running.set(false);
        socket.abort();
    }

    /** A media message as Twilio sends it, with 20 ms of silence (for sending out of order). */
    static String silentMedia(String streamSid) {
        byte[] frame = new byte[160];
        java.util.Arrays.fill(frame, SILENCE);
        return "{\"event\":\"media\",\"streamSid\":\"" + streamSid + "\",\"media\":{\"track\":\"inbound\",\"payload\":\""
                + Base64.getEncoder().encodeToString(frame) + "\"}}";
    }

    void hangUp() {
        stop();
        running.set(false);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "stop").join();
    }

    synchronized int voicedFrames() {
        int n = 0;
        for (short[] f : heard) {
            for (short s : f) {
                if (Math.abs(s) > 300) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /** Whether every frame of {@code frames} has played, in that order (other audio may come between). */
    synchronized boolean heardInOrder(List<short[]> frames) {
        int next = 0;
        for (short[] f : heard) {
            if (next < frames.size() && java.util.Arrays.equals(f, frames.get(next))) {
                next++;
            }
        }
        return next == frames.size();
    }

    synchronized int framesHeard() {
        return heard.size();
    }

    int clears() {
        return clears.get();
    }

    List<String> marksEchoed() {
        synchronized (marksEchoed) {
            return List.copyOf(marksEchoed);
        }
    }

    boolean speaking() {
        return !outgoing.isEmpty();
    }

    /** How the server closed the socket ("code reason"), once it has. */
    String awaitClosed(long seconds) throws Exception {
        return closed.get(seconds, TimeUnit.SECONDS);
    }

    boolean isClosed() {
        return closed.isDone();
    }

    private void send(String text) {
        synchronized (sendLock) {
            try {
                socket.sendText(text, true).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                running.set(false);
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        if (!closed.isDone()) {
            socket.abort();
        }
    }
}
