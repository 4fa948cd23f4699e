package dev.palaver.providers.deepgram;

import dev.palaver.providers.http.Json;
import dev.palaver.providers.speechtest.Await;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A real WebSocket server on 127.0.0.1 playing Deepgram's live endpoint: it records the handshake, the
 * audio and the text messages it gets, and answers as each test scripts (by default: nothing).
 */
final class FakeDeepgramServer extends WebSocketServer {

    final List<String> texts = new CopyOnWriteArrayList<>();
    /** Every message in arrival order: {@code audio:<bytes>} or {@code text:<type>}. */
    final List<String> arrivals = new CopyOnWriteArrayList<>();
    final AtomicInteger pings = new AtomicInteger();
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
    private final CountDownLatch started = new CountDownLatch(1);
    volatile String authorization;
    volatile String resource;
    volatile WebSocket connection;
    volatile boolean answerPings = true;
    /** Called with each text message the client sends. */
    volatile BiConsumer<WebSocket, String> onText = (c, t) -> { };

    FakeDeepgramServer() throws InterruptedException {
        super(new InetSocketAddress("127.0.0.1", 0));
        setReuseAddr(true);
        setConnectionLostTimeout(0);
        setDaemon(true);
        start();
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("fake Deepgram did not start");
        }
    }

    URI baseUri() {
        return URI.create("ws://127.0.0.1:" + getPort());
    }

    byte[] audio() {
        synchronized (audio) {
            return audio.toByteArray();
        }
    }

    int openConnections() {
        return opened.get() - closed.get();
    }

    boolean awaitNoOpenConnections(Duration within) throws InterruptedException {
        return Await.until(within, () -> opened.get() > 0 && openConnections() == 0);
    }

    boolean awaitOpen(Duration within) throws InterruptedException {
        return Await.until(within, () -> connection != null && connection.isOpen());
    }

    /** The sizes of the audio messages, in arrival order. */
    List<Integer> audioMessageSizes() {
        return arrivals.stream().filter(a -> a.startsWith("audio:")).map(a -> Integer.parseInt(a.substring(6)))
                .toList();
    }

    long count(String type) {
        return texts.stream().filter(t -> type.equals(Json.string(Json.tryParseObject(t), "type"))).count();
    }

    void send(String text) {
        connection.send(text);
    }

    /** Sends {@code text} unless the client has already closed the socket (which may be the point of the test). */
    void sendIfOpen(String text) {
        try {
            connection.send(text);
        } catch (org.java_websocket.exceptions.WebsocketNotConnectedException e) {
            // The client closed first: nothing reaches it, as intended.
        }
    }

    /** A Results message as Deepgram sends it (trimmed to the fields the client reads and a few it ignores). */
    static String results(String transcript, boolean isFinal, boolean speechFinal, boolean fromFinalize) {
        return Json.fields("type", "Results", "channel_index", Map.of(), "duration", 1.2, "start", 0.0,
                "is_final", isFinal, "speech_final", speechFinal, "from_finalize", fromFinalize,
                "channel", Map.of("alternatives", List.of(Map.of("transcript", transcript, "confidence", 0.98))),
                "metadata", Map.of("request_id", "r-1"));
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        authorization = handshake.getFieldValue("Authorization");
        resource = handshake.getResourceDescriptor();
        connection = conn;
        opened.incrementAndGet();
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        closeCodes.add(code);
        closed.incrementAndGet();
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        texts.add(message);
        arrivals.add("text:" + Json.string(Json.tryParseObject(message), "type"));
        onText.accept(conn, message);
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        arrivals.add("audio:" + message.remaining());
        synchronized (audio) {
            byte[] b = new byte[message.remaining()];
            message.get(b);
            audio.writeBytes(b);
        }
    }

    @Override
    public void onWebsocketPing(WebSocket conn, Framedata f) {
        pings.incrementAndGet();
        if (answerPings) {
            super.onWebsocketPing(conn, f);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        // the client went away mid-frame: the tests look at what the client saw
    }
}
