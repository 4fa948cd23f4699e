package dev.palaver.bench.fakes;

import dev.palaver.providers.http.Json;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deepgram's live recognition endpoint ({@code /v1/listen}, PCM16 16 kHz binary frames in, JSON
 * {@code Results} out) on a real WebSocket. It recognizes nothing: each utterance gets the next scripted
 * transcript. An utterance starts with loud audio; once {@link FakeDelays#sttPartialAfter()} of audio has
 * come since, an interim result carries its words (what lets a caller interrupt the agent); the final
 * result goes out {@link FakeDelays#sttFinal()} after digital silence began (all samples within ±{@value #SILENT}),
 * as Deepgram's own endpointing would. A {@code Finalize} is answered the way Deepgram answers it: the
 * pending final, when it comes, carries {@code from_finalize: true}; with no utterance waiting for its
 * silence the answer is an empty final at once.
 */
public final class FakeDeepgramListen extends WebSocketServer {

    /** Loudest sample of digital silence after G.711 and resampling. */
    static final int SILENT = 2;
    /** A block this loud starts an utterance. */
    static final int LOUD = 600;
    /** Silence this long (audio time) confirms an utterance ended. */
    static final int CONFIRM_SAMPLES = 16_000 / 10;

    private final FakeDelays delays;
    private final List<String> transcripts;
    private final ScheduledExecutorService timers;
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicLong finals = new AtomicLong();
    private final AtomicLong streams = new AtomicLong();

    public FakeDeepgramListen(InetSocketAddress address, FakeDelays delays, List<String> transcripts,
            ScheduledExecutorService timers) {
        super(address);
        this.delays = delays;
        this.transcripts = List.copyOf(transcripts);
        this.timers = timers;
        setReuseAddr(true);
        setTcpNoDelay(true);
        setConnectionLostTimeout(0);
        setDaemon(true);
    }

    /** Starts listening and waits until it does. */
    public void startAndWait() throws InterruptedException {
        start();
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the fake Deepgram did not start");
        }
    }

    public long finalsSent() {
        return finals.get();
    }

    public long streamsOpened() {
        return streams.get();
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        String auth = handshake.getFieldValue("Authorization");
        if (!handshake.getResourceDescriptor().startsWith("/v1/listen") || auth == null || !auth.startsWith("Token ")) {
            conn.close(1008, "DATA-0001 bad path or no token");
            return;
        }
        streams.incrementAndGet();
        conn.setAttachment(new Stream(conn, streams.get()));
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer audio) {
        Stream s = conn.getAttachment();
        if (s != null) {
            s.audio(audio.order(ByteOrder.LITTLE_ENDIAN));
        }
    }

    @Override
    public void onMessage(WebSocket conn, String text) {
        Stream s = conn.getAttachment();
        if (s == null) {
            return;
        }
        String type = Json.string(Json.tryParseObject(text), "type");
        switch (type == null ? "" : type) {
            case "Finalize" -> s.finalizeAsked();
            case "CloseStream" -> s.closeStream();
            default -> {
                // KeepAlive and anything else: nothing to answer.
            }
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Stream s = conn.getAttachment();
        if (s != null) {
            s.cancel();
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            System.err.println("fake Deepgram: " + ex);
        }
    }

    /** One recognition stream; its methods run on the server's and the timers' threads, hence synchronized. */
    private final class Stream {
        private final WebSocket conn;
        private int next;
        private boolean inUtterance;
        private long samplesSinceOnset;
        private boolean partialSent;
        private long silentSamples;
        private long silenceStartNanos;
        private int finalizesWaiting;
        private ScheduledFuture<?> pendingFinal;
        private double audioSeconds;

        Stream(WebSocket conn, long number) {
            this.conn = conn;
            this.next = (int) (number % transcripts.size());
        }

        synchronized void audio(ByteBuffer pcm) {
            long now = System.nanoTime();
            int samples = pcm.remaining() / 2;
            audioSeconds += samples / 16_000.0;
            int peak = 0;
            for (int i = 0; i < samples; i++) {
                peak = Math.max(peak, Math.abs(pcm.getShort()));
            }
            if (peak > SILENT) {
                silentSamples = 0;
                if (peak >= LOUD && !inUtterance && pendingFinal == null) {
                    inUtterance = true;
                    samplesSinceOnset = 0;
                    partialSent = false;
                }
            } else if (inUtterance && pendingFinal == null) {
                if (silentSamples == 0) {
                    silenceStartNanos = now;
                }
                silentSamples += samples;
                if (silentSamples >= CONFIRM_SAMPLES) {
                    long due = silenceStartNanos + delays.drawNanos(delays.sttFinal()) - now;
                    pendingFinal = timers.schedule(this::sendFinal, Math.max(0, due), TimeUnit.NANOSECONDS);
                }
            }
            if (inUtterance) {
                samplesSinceOnset += samples;
                if (!partialSent && samplesSinceOnset * 1_000_000_000L / 16_000 >= delays.sttPartialAfter().toNanos()) {
                    partialSent = true;
                    send(results(transcripts.get(next), false, false));
                }
            }
        }

        synchronized void finalizeAsked() {
            if (pendingFinal != null || (inUtterance && silentSamples > 0)) {
                // The utterance's final, due after its silence, answers this Finalize.
                finalizesWaiting++;
                return;
            }
            send(results("", true, true));
        }

        private synchronized void sendFinal() {
            pendingFinal = null;
            if (!inUtterance) {
                return;
            }
            inUtterance = false;
            boolean fromFinalize = finalizesWaiting > 0;
            if (fromFinalize) {
                finalizesWaiting--;
            }
            send(results(transcripts.get(next), true, fromFinalize));
            next = (next + 1) % transcripts.size();
            finals.incrementAndGet();
            // Any other Finalize asked meanwhile had nothing more to flush.
            while (finalizesWaiting > 0) {
                finalizesWaiting--;
                send(results("", true, true));
            }
        }

        synchronized void closeStream() {
            cancel();
            ObjectNode metadata = Json.object();
            metadata.put("type", "Metadata");
            metadata.put("duration", audioSeconds);
            send(Json.write(metadata));
            conn.close(1000, "");
        }

        synchronized void cancel() {
            if (pendingFinal != null) {
                pendingFinal.cancel(false);
                pendingFinal = null;
            }
        }

        private String results(String transcript, boolean isFinal, boolean fromFinalize) {
            ObjectNode r = Json.object();
            r.put("type", "Results");
            r.put("is_final", isFinal);
            r.put("speech_final", isFinal);
            r.put("from_finalize", fromFinalize);
            ObjectNode alternative = r.putObject("channel").putArray("alternatives").addObject();
            alternative.put("transcript", transcript);
            alternative.put("confidence", 0.99);
            return Json.write(r);
        }

        private void send(String text) {
            if (conn.isOpen()) {
                conn.send(text);
            }
        }
    }
}
