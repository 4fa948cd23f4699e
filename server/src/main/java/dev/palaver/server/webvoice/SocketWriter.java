package dev.palaver.server.webvoice;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Sends to one browser socket from its own virtual thread, so the call's loop never waits on the network.
 * The queue holds {@link #CAPACITY} messages (about ten seconds of 20 ms audio frames); a client that falls
 * that far behind is not listening and is disconnected.
 */
final class SocketWriter {

    static final int CAPACITY = 512;

    private sealed interface Out permits Send, Close, Stop {
    }

    private record Send(WebSocketMessage<?> message) implements Out {
    }

    private record Close(CloseStatus status) implements Out {
    }

    private record Stop() implements Out {
    }

    private final WebSocketSession socket;
    private final BlockingQueue<Out> queue = new ArrayBlockingQueue<>(CAPACITY);

    SocketWriter(WebSocketSession socket) {
        this.socket = socket;
        Thread.ofVirtual().name("webvoice-writer-" + socket.getId()).start(this::drain);
    }

    WebSocketSession socket() {
        return socket;
    }

    void send(WebSocketMessage<?> message) {
        if (!queue.offer(new Send(message))) {
            abort(CloseStatus.SESSION_NOT_RELIABLE.withReason("client too slow"));
        }
    }

    /** Sends what is queued, then closes the socket with {@code status}. */
    void close(CloseStatus status) {
        if (!queue.offer(new Close(status))) {
            abort(status);
        }
    }

    /** Drops what is queued and closes the socket with {@code status}. */
    void abort(CloseStatus status) {
        queue.clear();
        queue.offer(new Close(status));
    }

    /** Stops sending without closing (the socket is already gone). */
    void stop() {
        queue.clear();
        queue.offer(new Stop());
    }

    private void drain() {
        try {
            while (true) {
                switch (queue.take()) {
                    case Stop ignored -> {
                        return;
                    }
                    case Close close -> {
                        socket.close(close.status());
                        return;
                    }
                    case Send send -> {
                        if (!socket.isOpen()) {
                            return;
                        }
                        socket.sendMessage(send.message());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | IllegalStateException e) {
            try {
                socket.close(CloseStatus.SERVER_ERROR);
            } catch (IOException ignored) {
                // already broken
            }
        }
    }
}
