package dev.palaver.server.webvoice;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;

import tools.jackson.databind.ObjectMapper;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.Pcm16;
import dev.palaver.media.call.CallEvent;
import dev.palaver.media.transport.Transport;

/**
 * A browser call's end of the line: caller audio arrives as binary PCM16 (16 kHz, little-endian, any chunking)
 * and is cut into the engine's 20 ms frames; agent audio leaves as one binary message per 20 ms frame (also
 * 16 kHz PCM16). Marks go to the browser, which echoes each once its playback reaches it; {@code clear} tells
 * it to drop what it has queued (barge-in) and counts every pending mark as played.
 *
 * <p>The socket may drop and come back: while detached, agent audio is dropped, pending marks count as played,
 * and the call goes on for the resume window; a socket that resumes in time takes over the same call, and
 * otherwise the caller is taken to have hung up. Captions and the agent's state (listening, thinking,
 * speaking) are sent as JSON alongside.
 */
final class WebCallTransport implements Transport {

    enum AgentState { LISTENING, THINKING, SPEAKING }

    private final ObjectMapper json;
    private final ScheduledExecutorService timers;
    private final Duration resumeWindow;
    private final short[] frame = new short[AudioFormat.SAMPLES_PER_FRAME];
    private int framed;
    private int oddByte = -1;

    private Listener listener;
    private SocketWriter writer;
    private ScheduledFuture<?> resumeDeadline;
    private final List<String> pendingMarks = new ArrayList<>();
    private AgentState state = AgentState.LISTENING;
    private boolean audioSinceLastMark;
    private final StringBuilder agentCaption = new StringBuilder();
    private boolean closed;

    WebCallTransport(ObjectMapper json, ScheduledExecutorService timers, Duration resumeWindow) {
        this.json = json;
        this.timers = timers;
        this.resumeWindow = resumeWindow;
    }

    // ------------------------------------------------------------------ Transport (the call's loop)

    @Override
    public synchronized void start(Listener newListener) {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        listener = newListener;
    }

    @Override
    public synchronized void sendAudio(short[] samples) {
        if (closed) {
            return;
        }
        audioSinceLastMark = true;
        setState(AgentState.SPEAKING);
        if (writer != null) {
            byte[] bytes = new byte[samples.length * 2];
            Pcm16.toBytes(samples, 0, bytes, 0, samples.length);
            writer.send(new BinaryMessage(bytes));
        }
    }

    @Override
    public void sendMark(String name) {
        boolean playedAtOnce;
        synchronized (this) {
            audioSinceLastMark = false;
            playedAtOnce = writer == null || closed;
            if (!playedAtOnce) {
                pendingMarks.add(name);
                control(Map.of("type", "mark", "name", name));
            }
        }
        if (playedAtOnce) {
            markPlayed(name);
        }
    }

    @Override
    public void clear() {
        List<String> played;
        synchronized (this) {
            played = List.copyOf(pendingMarks);
            pendingMarks.clear();
            control(Map.of("type", "clear"));
            setState(AgentState.LISTENING);
        }
        played.forEach(this::reportPlayed);
    }

    @Override
    public synchronized void sendDtmf(String digits) {
        // A browser has no far end to play tones to; the request is shown, not played.
        control(Map.of("type", "dtmf", "digits", digits));
    }

    @Override
    public void hangUp() {
        end("agent_hung_up");
    }

    // ------------------------------------------------------------------ the browser side

    /** A socket takes over the call (the first one, or one that resumed after a drop). */
    synchronized void attach(SocketWriter socket) {
        if (writer != null && writer != socket) {
            writer.close(CloseStatus.POLICY_VIOLATION.withReason("resumed elsewhere"));
        }
        writer = socket;
        if (resumeDeadline != null) {
            resumeDeadline.cancel(false);
            resumeDeadline = null;
        }
        oddByte = -1;
        framed = 0;
        control(Map.of("type", "state", "state", wire(state)));
    }

    /** The socket dropped without a hang-up: hold the call open for the resume window. */
    void detached(SocketWriter socket) {
        List<String> played;
        synchronized (this) {
            if (writer != socket || closed) {
                return;
            }
            writer.stop();
            writer = null;
            played = List.copyOf(pendingMarks);
            pendingMarks.clear();
            resumeDeadline = timers.schedule(this::resumeWindowPassed, resumeWindow.toMillis(), TimeUnit.MILLISECONDS);
        }
        played.forEach(this::reportPlayed);
    }

    private void resumeWindowPassed() {
        Listener l;
        synchronized (this) {
            if (writer != null || closed) {
                return;
            }
            closed = true;
            l = listener;
        }
        if (l != null) {
            l.onClosed();
        }
    }

    /** Caller audio from {@code socket}: PCM16 little-endian at 16 kHz, cut into 20 ms frames here. */
    void audioIn(SocketWriter socket, ByteBuffer bytes) {
        List<short[]> frames = new ArrayList<>(4);
        synchronized (this) {
            if (writer != socket || closed || listener == null) {
                return;
            }
            bytes.order(ByteOrder.LITTLE_ENDIAN);
            while (bytes.hasRemaining()) {
                int b = bytes.get() & 0xFF;
                if (oddByte < 0) {
                    oddByte = b;
                    continue;
                }
                frame[framed++] = (short) (oddByte | b << 8);
                oddByte = -1;
                if (framed == frame.length) {
                    frames.add(frame.clone());
                    framed = 0;
                }
            }
        }
        frames.forEach(listener::onAudio);
    }

    /** The browser's playback reached mark {@code name}. */
    void markPlayed(String name) {
        boolean known;
        synchronized (this) {
            known = pendingMarks.remove(name);
        }
        if (known) {
            reportPlayed(name);
        }
    }

    void dtmfIn(char digit) {
        Listener l;
        synchronized (this) {
            l = closed ? null : listener;
        }
        if (l != null) {
            l.onDtmf(digit);
        }
    }

    /** The caller hung up (End call) or the call is over: no resume. */
    void callerHungUp() {
        Listener l;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            l = listener;
        }
        if (l != null) {
            l.onClosed();
        }
    }

    /**
     * The call ended: tell the browser why and close its socket. A call that never started (its setup
     * failed) leaves the socket to the handler, which reports the failure.
     */
    synchronized void end(String reason) {
        closed = true;
        if (resumeDeadline != null) {
            resumeDeadline.cancel(false);
        }
        if (writer != null && listener != null) {
            control(Map.of("type", "ended", "reason", reason));
            writer.close(CloseStatus.NORMAL);
            writer = null;
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ what the call says and does

    /** An interim hypothesis of what the caller is saying. */
    synchronized void callerPartial(String text) {
        if (!text.isBlank()) {
            control(caption("user", text, false, false));
        }
    }

    /** The agent is about to say {@code text} (one piece of its reply). */
    synchronized void agentSpeaks(String text) {
        agentCaption.append(agentCaption.isEmpty() ? "" : " ").append(text.strip());
        control(caption("agent", agentCaption.toString(), false, false));
    }

    /** One of the call's events, as it is recorded. */
    synchronized void event(CallEvent event) {
        switch (event) {
            case CallEvent.TranscriptRecorded t when t.speaker() == CallEvent.Speaker.CALLER -> {
                control(caption("user", t.text(), true, false));
                agentCaption.setLength(0);
                setState(AgentState.THINKING);
            }
            case CallEvent.TranscriptRecorded t -> {
                control(caption("agent", t.text(), true, t.interrupted()));
                agentCaption.setLength(0);
            }
            case CallEvent.CallerInterrupted ignored -> setState(AgentState.LISTENING);
            case CallEvent.ErrorOccurred e -> notice(e.component(), "The agent had a problem (" + e.component() + ").");
            case CallEvent.CallStarted ignored -> { }
            case CallEvent.TurnMeasured ignored -> { }
            case CallEvent.ToolCalled ignored -> { }
            case CallEvent.CallEnded ignored -> { }
        }
    }

    /** Something the caller should see (a transfer the browser cannot make, a provider problem). */
    synchronized void notice(String kind, String message) {
        control(Map.of("type", "notice", "kind", kind, "message", message));
    }

    // ------------------------------------------------------------------ internals

    private void reportPlayed(String name) {
        Listener l;
        synchronized (this) {
            l = listener;
            if (pendingMarks.isEmpty() && !audioSinceLastMark && state == AgentState.SPEAKING) {
                setState(AgentState.LISTENING);
            }
        }
        if (l != null) {
            l.onMarkPlayed(name);
        }
    }

    private void setState(AgentState next) {
        if (state != next) {
            state = next;
            control(Map.of("type", "state", "state", wire(next)));
        }
    }

    private static String wire(AgentState s) {
        return s.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, Object> caption(String role, String text, boolean isFinal, boolean interrupted) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "caption");
        m.put("role", role);
        m.put("text", text);
        m.put("final", isFinal);
        if (interrupted) {
            m.put("interrupted", true);
        }
        return m;
    }

    private void control(Map<String, ?> message) {
        if (writer != null) {
            writer.send(new TextMessage(json.writeValueAsString(message)));
        }
    }
}
