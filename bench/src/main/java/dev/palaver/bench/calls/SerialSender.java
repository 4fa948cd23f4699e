package dev.palaver.bench.calls;

import java.net.http.WebSocket;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Sends text messages on a JDK {@link WebSocket} one at a time, as it requires (a send while another is
 * outstanding fails), queueing those that come meanwhile; a close goes out after everything queued.
 */
final class SerialSender {

    private final WebSocket ws;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private boolean sending;
    private boolean closeQueued;
    private boolean failed;

    SerialSender(WebSocket ws) {
        this.ws = ws;
    }

    synchronized void send(String text) {
        if (failed || closeQueued) {
            return;
        }
        queue.add(text);
        pump();
    }

    synchronized void close() {
        closeQueued = true;
        pump();
    }


    private void pump() {
        while (!sending && !failed) {
            CompletableFuture<WebSocket> sent;
            String next = queue.poll();
            if (next != null) {
                sent = ws.sendText(next, true);
            } else if (closeQueued && !ws.isOutputClosed()) {
                sent = ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
            } else {
                return;
            }
            if (!sent.isDone()) {
                sending = true;
                sent.whenComplete((w, e) -> {
                    synchronized (this) {
                        sending = false;
                        failed |= e != null;
                        pump();
                    }
                });
                return;
            }
            failed |= sent.isCompletedExceptionally();
        }
    }
}
