package dev.palaver.server.telephony;

import java.io.IOException;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

import tools.jackson.databind.ObjectMapper;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.Framer;
import dev.palaver.media.audio.MuLaw;
import dev.palaver.media.audio.Resampler;
import dev.palaver.media.transport.Transport;

/**
 * A Twilio media stream as the engine's {@link Transport}. Caller audio (μ-law, 8 kHz, base64) goes
 * through a bounded queue ({@link #INBOUND_FRAMES} frames; the oldest is dropped when it is full) to a
 * virtual thread that decodes, resamples to 16 kHz and hands 20 ms frames to the engine. Agent audio is
 * resampled to 8 kHz, μ-law encoded and sent as 160-byte (20 ms) media messages; marks and clear are
 * Twilio's own. {@link Listener#onClosed()} is called once, for stop, socket close or hang-up.
 */
final class TwilioMediaTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(TwilioMediaTransport.class);
    static final int INBOUND_FRAMES = 100;
    static final int PHONE_RATE = 8_000;
    static final int PHONE_FRAME_BYTES = 160;

    private final WebSocketSession socket;
    private final String streamSid;
    private final ObjectMapper json;
    private final Runnable remoteHangUp;
    private final BlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(INBOUND_FRAMES);
    private final AtomicLong droppedInbound = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean hungUp = new AtomicBoolean();
    private volatile boolean handedOver;
    private final java.util.Set<String> pendingMarks = java.util.concurrent.ConcurrentHashMap.newKeySet();
    // Outbound conversion: touched only by the call's loop.
    private final Resampler down = new Resampler(AudioFormat.SAMPLE_RATE, PHONE_RATE);
    private final short[] downBuffer = new short[AudioFormat.SAMPLES_PER_FRAME];
    private final Framer phoneFramer;
    private volatile Listener listener;

    TwilioMediaTransport(WebSocketSession socket, String streamSid, ObjectMapper json, Runnable remoteHangUp) {
        this.socket = socket;
        this.streamSid = streamSid;
        this.json = json;
        this.remoteHangUp = remoteHangUp;
        this.phoneFramer = new Framer(PHONE_FRAME_BYTES, this::sendPhoneFrame);
    }

    @Override
    public void start(Listener newListener) {
        listener = newListener;
        Thread.ofVirtual().name("twilio-inbound-" + streamSid).start(this::drainInbound);
    }

    /** From the socket: caller audio. Never blocks. */
    void received(byte[] mulaw) {
        while (!inbound.offer(mulaw)) {
            if (inbound.poll() != null) {
                droppedInbound.incrementAndGet();
            }
        }
    }

    /** Twilio played up to a mark; false (and ignored) if no mark of that name is pending. */
    boolean markPlayed(String name) {
        if (!pendingMarks.remove(name)) {
            return false;
        }
        Listener l = listener;
        if (l != null) {
            l.onMarkPlayed(name);
        }
        return true;
    }

    void dtmf(char digit) {
        Listener l = listener;
        if (l != null) {
            l.onDtmf(digit);
        }
    }

    /** The stream stopped or the socket closed: the caller is gone. Once. */
    void closed() {
        if (closed.compareAndSet(false, true)) {
            Listener l = listener;
            if (l != null) {
                l.onClosed();
            }
        }
    }

    /**
     * The call now runs other TwiML (a transfer): hanging up from here on closes only the stream, and
     * leaves the call itself alone.
     */
    void handedOver() {
        handedOver = true;
    }

    boolean isClosed() {
        return closed.get();
    }

    long droppedInbound() {
        return droppedInbound.get();
    }

    private void drainInbound() {
        Resampler up = new Resampler(PHONE_RATE, AudioFormat.SAMPLE_RATE);
        Framer framer = Framer.twentyMillis(frame -> listener.onAudio(frame.clone()));
        short[] pcm8 = new short[1_600];
        short[] pcm16 = new short[3_200];
        try {
            while (!closed.get()) {
                byte[] mulaw = inbound.poll(100, TimeUnit.MILLISECONDS);
                if (mulaw == null) {
                    continue;
                }
                int n = Math.min(mulaw.length, pcm8.length);
                MuLaw.decode(mulaw, 0, pcm8, 0, n);
                int out = up.process(pcm8, 0, n, pcm16, 0);
                framer.push(pcm16, 0, out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void sendAudio(short[] frame) {
        int n = down.process(frame, 0, frame.length, downBuffer, 0);
        phoneFramer.push(downBuffer, 0, n);
    }

    private void sendPhoneFrame(short[] pcm8) {
        byte[] mulaw = new byte[pcm8.length];
        MuLaw.encode(pcm8, 0, mulaw, 0, pcm8.length);
        send("{\"event\":\"media\",\"streamSid\":" + quote(streamSid) + ",\"media\":{\"payload\":\""
                + Base64.getEncoder().encodeToString(mulaw) + "\"}}");
    }

    @Override
    public void sendMark(String name) {
        pendingMarks.add(name);
        send("{\"event\":\"mark\",\"streamSid\":" + quote(streamSid) + ",\"mark\":{\"name\":" + quote(name) + "}}");
    }

    @Override
    public void clear() {
        send("{\"event\":\"clear\",\"streamSid\":" + quote(streamSid) + "}");
    }

    @Override
    public void sendDtmf(String digits) {
        playTones(digits);
    }

    /**
     * Plays DTMF in-band: each key as its two tones for {@link DtmfTones#TONE_MILLIS} ms, then a pause.
     * Safe from any thread (it uses no conversion state); Twilio plays it after the audio already sent.
     */
    void playTones(String digits) {
        byte[] mulaw = DtmfTones.mulaw(digits, PHONE_RATE);
        for (int at = 0; at < mulaw.length; at += PHONE_FRAME_BYTES) {
            byte[] frame = java.util.Arrays.copyOfRange(mulaw, at, Math.min(mulaw.length, at + PHONE_FRAME_BYTES));
            send("{\"event\":\"media\",\"streamSid\":" + quote(streamSid) + ",\"media\":{\"payload\":\""
                    + Base64.getEncoder().encodeToString(frame) + "\"}}");
        }
    }

    @Override
    public void hangUp() {
        if (hungUp.compareAndSet(false, true)) {
            boolean callerGone = closed.get() || handedOver;
            Thread.ofVirtual().name("twilio-hangup-" + streamSid).start(() -> {
                if (!callerGone) {
                    try {
                        remoteHangUp.run();
                    } catch (RuntimeException e) {
                        log.warn("Ending Twilio stream {} over REST failed: {}", streamSid, e.getMessage());
                    }
                }
                try {
                    socket.close();
                } catch (IOException e) {
                    log.debug("Closing Twilio stream {}: {}", streamSid, e.toString());
                }
            });
        }
    }

    private void send(String text) {
        if (!socket.isOpen()) {
            return;
        }
        try {
            socket.sendMessage(new TextMessage(text));
        } catch (IOException | RuntimeException e) {
            log.debug("Sending to Twilio stream {} failed: {}", streamSid, e.toString());
        }
    }

    private String quote(String s) {
        return json.writeValueAsString(s);
    }
}
