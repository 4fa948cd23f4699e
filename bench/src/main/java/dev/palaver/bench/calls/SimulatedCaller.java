package dev.palaver.bench.calls;

import dev.palaver.bench.calls.CallerSpeech.Utterance;
import dev.palaver.providers.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One caller on a Twilio Media Streams connection, behaving as Twilio and a person on the phone would.
 * Every 20 ms {@link #tick} (on the ticker's absolute schedule) sends one 160-byte μ-law frame (speech or
 * digital silence) and plays one received agent frame, an answer starting {@value #PLAYOUT_DELAY_NANOS} ns
 * after its first frame came (a jitter buffer); a mark is echoed once the audio before it has played, and a
 * {@code clear} empties the playback buffer and echoes the marks in it, as Twilio does.
 * The caller waits for the greeting, then takes turns: it speaks, waits for the answer, listens to it,
 * pauses and speaks again; every {@link TurnPlan#bargeInEvery()}-th answer it interrupts.
 *
 * <p>Measured (into {@link CallerMeasures}): per turn, the last voiced frame sent → the first agent frame
 * received, less {@link TurnPlan#providerAndEndpointingMillis()}; per agent frame, its arrival against the
 * answer's 20 ms grid (pacing error; the grid restarts after an underrun); gaps in an answer's playback
 * (underruns); agent frames received
 * after a {@code clear} while the caller still holds the floor; the interruption's deciding frame sent →
 * the {@code clear} received.
 *
 * <p>Received messages are stamped on arrival by the WebSocket's thread and handled by the ticker's; all
 * other state belongs to the ticker thread.
 */
final class SimulatedCaller implements WebSocket.Listener {

    private static final String FRAME = "frame";
    private static final long REPLY_DONE_NANOS = 300_000_000L;
    private static final long GREETING_WAIT_NANOS = 5_000_000_000L;
    /** A phone's jitter buffer: an answer starts playing this long after its first frame (and after a gap). */
    static final long PLAYOUT_DELAY_NANOS = 60_000_000L;

    private enum Phase { CONNECTING, GREETING, SPEAKING, AWAITING, REPLYING, PAUSING, ENDED }

    private record Received(long at, String event, String mark) {
    }

    private final CallerSpeech speech;
    private final TurnPlan plan;
    private final CallerMeasures measures;
    private final String callSid;
    private final String streamSid;
    private final String accountSid;
    private final ConcurrentLinkedQueue<Received> inbox = new ConcurrentLinkedQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final ArrayDeque<String> playback = new ArrayDeque<>();
    private volatile SerialSender sender;
    /** The server closed the stream or it failed. */
    private volatile boolean closed;
    /** The caller hung up. */
    private volatile boolean hungUp;

    private Phase phase = Phase.CONNECTING;
    private long phaseSince;
    private int sequence;
    private int chunk;
    private long streamStart;
    private int turn;
    private Utterance utterance;
    private int frameIndex;
    private boolean bargeTurn;
    private boolean bargeCleared;
    private boolean skipOverhead;
    private long awaitingSince;
    private long replyStart;
    private long replyFrames;
    private long lastAgentFrame;
    private boolean playedAny;
    private boolean dry;
    private long playoutAt;
    private long bargeAt;
    private long bargeRef;
    private long clearedAt;
    private long clearWindowEnd;
    private long pauseUntil;

    private SimulatedCaller(CallerSpeech speech, TurnPlan plan, CallerMeasures measures, String callSid,
            String accountSid, int index) {
        this.speech = speech;
        this.plan = plan;
        this.measures = measures;
        this.callSid = callSid;
        this.accountSid = accountSid;
        this.streamSid = "MZ" + callSid.substring(2);
        this.turn = index;
    }

    /** Rings the number (signed webhook), opens the stream the TwiML names and starts it. */
    static SimulatedCaller dial(HttpClient http, TwilioLine line, int index, CallerSpeech speech, TurnPlan plan,
            CallerMeasures measures) throws IOException, InterruptedException {
        byte[] sid = new byte[16];
        ThreadLocalRandom.current().nextBytes(sid);
        String callSid = "CA" + HexFormat.of().formatHex(sid);
        String from = String.format("+1555%07d", index % 10_000_000);
        TwimlStream stream = line.ring(http, callSid, from);
        SimulatedCaller caller = new SimulatedCaller(speech, plan, measures, callSid, line.accountSid(), index);
        WebSocket ws = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(20))
                .buildAsync(URI.create(stream.url()), caller)
                .join();
        caller.start(ws, stream);
        return caller;
    }

    private void start(WebSocket ws, TwimlStream stream) {
        SerialSender s = new SerialSender(ws);
        ObjectNode connected = Json.object();
        connected.put("event", "connected");
        connected.put("protocol", "Call");
        connected.put("version", "1.0.0");
        s.send(Json.write(connected));
        ObjectNode start = event("start");
        ObjectNode body = start.putObject("start");
        body.put("accountSid", accountSid);
        body.put("streamSid", streamSid);
        body.put("callSid", callSid);
        body.putArray("tracks").add("inbound");
        ObjectNode format = body.putObject("mediaFormat");
        format.put("encoding", "audio/x-mulaw");
        format.put("sampleRate", 8000);
        format.put("channels", 1);
        ObjectNode custom = body.putObject("customParameters");
        stream.parameters().forEach(custom::put);
        s.send(Json.write(start));
        sender = s;
    }



    /** One 20 ms step. Runs on the ticker thread. */
    void tick(long now) {
        if (phase == Phase.ENDED) {
            return;
        }
        if (hungUp) {
            phase = Phase.ENDED;
            return;
        }
        if (closed) {
            measures.error();
            phase = Phase.ENDED;
            return;
        }
        SerialSender s = sender;
        if (s == null) {
            return;
        }
        if (phase == Phase.CONNECTING) {
            phase = Phase.GREETING;
            phaseSince = now;
            streamStart = now;
        }
        drainInbox();
        play(s, now);
        sendFrame(s);
        advance(System.nanoTime());
    }

    /** Ends the call as Twilio does when the caller hangs up: {@code stop}, then the socket closes. */
    void hangUp() {
        SerialSender s = sender;
        if (s == null) {
            return;
        }
        ObjectNode stop = event("stop");
        ObjectNode body = stop.putObject("stop");
        body.put("accountSid", accountSid);
        body.put("callSid", callSid);
        hungUp = true;
        s.send(Json.write(stop));
        s.close();
    }

    // ---- receiving (stamped on arrival, handled on the next tick) ----

    private void drainInbox() {
        Received r;
        while ((r = inbox.poll()) != null) {
            switch (r.event()) {
                case "media" -> agentFrame(r.at());
                case "mark" -> playback.add(r.mark());
                case "clear" -> cleared(r.at());
                default -> {
                    // Nothing else comes from Palaver that Twilio would act on.
                }
            }
        }
    }

    private void agentFrame(long at) {
        if (clearedAt != 0 && (clearWindowEnd == 0 || at <= clearWindowEnd)) {
            measures.frameAfterClear();
            return;
        }
        clearedAt = 0;
        if (replyStart == 0) {
            replyStart = at;
            replyFrames = 0;
            playoutAt = at + PLAYOUT_DELAY_NANOS;
            if (phase == Phase.AWAITING) {
                if (!skipOverhead) {
                    measures.overhead((at - awaitingSince) / 1e6 - plan.providerAndEndpointingMillis());
                }
                phase = Phase.REPLYING;
                phaseSince = at;
                // The answer to an interruption is heard out; every n-th ordinary turn's answer is cut.
                bargeAt = !bargeTurn && turn % plan.bargeInEvery() == 0 ? at + plan.bargeInAfterMs() * 1_000_000L : 0;
            }
        } else if (dry) {
            // The answer's audio stopped and resumed: one underrun, and its 20 ms grid starts again here.
            measures.underrun();
            replyStart = at;
            replyFrames = 0;
            playoutAt = at + PLAYOUT_DELAY_NANOS;
        } else {
            measures.pacing(Math.abs(at - (replyStart + replyFrames * TurnPlan.FRAME_NANOS)) / 1e6);
        }
        dry = false;
        replyFrames++;
        lastAgentFrame = at;
        playback.add(FRAME);
    }

    private void cleared(long at) {
        clearedAt = at;
        if (bargeRef != 0) {
            measures.bargeIn((at - bargeRef) / 1e6);
            bargeRef = 0;
        }
        bargeCleared = true;
        SerialSender s = sender;
        for (String item : playback) {
            if (item != FRAME) {
                echoMark(s, item);
            }
        }
        playback.clear();
        replyStart = 0;
        dry = false;
    }

    // ---- playing and speaking ----

    private void play(SerialSender s, long now) {
        echoLeadingMarks(s);
        if (now < playoutAt) {
            return;
        }
        if (playback.isEmpty()) {
            if (playedAny && replyStart != 0) {
                dry = true;
            }
            return;
        }
        playback.poll();
        playedAny = true;
        measures.played();
        echoLeadingMarks(s);
    }

    private void echoLeadingMarks(SerialSender s) {
        while (!playback.isEmpty() && playback.peek() != FRAME) {
            echoMark(s, playback.poll());
        }
    }

    private void echoMark(SerialSender s, String name) {
        ObjectNode mark = event("mark");
        mark.putObject("mark").put("name", name);
        s.send(Json.write(mark));
    }

    /** A message to the server in Twilio's envelope: its event, the next sequence number, the stream. */
    private ObjectNode event(String name) {
        ObjectNode msg = Json.object();
        msg.put("event", name);
        msg.put("sequenceNumber", Integer.toString(++sequence));
        msg.put("streamSid", streamSid);
        return msg;
    }

    private void sendFrame(SerialSender s) {
        boolean speaking = phase == Phase.SPEAKING;
        String payload = speaking ? utterance.frames().get(frameIndex) : CallerSpeech.SILENCE;
        long timestamp = (System.nanoTime() - streamStart) / 1_000_000;
        s.send("{\"event\":\"media\",\"sequenceNumber\":\"" + (++sequence) + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\""
                + (++chunk) + "\",\"timestamp\":\"" + timestamp + "\",\"payload\":\"" + payload + "\"},\"streamSid\":\""
                + streamSid + "\"}");
        if (!speaking) {
            return;
        }
        long sent = System.nanoTime();
        if (bargeTurn && frameIndex == plan.bargeInDecisionFrames() - 1) {
            bargeRef = sent;
        }
        if (++frameIndex == utterance.length()) {
            finishedSpeaking(sent);
        }
    }

    private void finishedSpeaking(long sent) {
        phase = Phase.AWAITING;
        awaitingSince = sent;
        skipOverhead = false;
        if (bargeTurn) {
            clearWindowEnd = sent + plan.endpointingMs() * 1_000_000L;
            if (!bargeCleared) {
                measures.bargeInMissed();
                // The answer it failed to stop is still playing: its frames are no new answer.
                skipOverhead = true;
            }
            bargeRef = 0;
        }
        replyStart = 0;
        dry = false;
        playedAny = false;
    }

    private void advance(long now) {
        switch (phase) {
            case GREETING -> {
                if (replyStart != 0 ? replyDone(now) : now - phaseSince > GREETING_WAIT_NANOS) {
                    pause(now);
                }
            }
            case REPLYING -> {
                if (bargeAt != 0 && now >= bargeAt) {
                    bargeAt = 0;
                    speak(speech.bargeIn(), true);
                } else if (replyDone(now)) {
                    pause(now);
                }
            }
            case AWAITING -> {
                if (now - awaitingSince > plan.replyTimeoutMs() * 1_000_000L) {
                    measures.noAnswer();
                    pause(now);
                }
            }
            case PAUSING -> {
                if (now >= pauseUntil) {
                    turn++;
                    speak(speech.turns().get(turn % speech.turns().size()), false);
                }
            }
            case CONNECTING, SPEAKING, ENDED -> {
                // Speaking advances frame by frame in sendFrame.
            }
        }
    }

    private boolean replyDone(long now) {
        return playback.isEmpty() && now - lastAgentFrame > REPLY_DONE_NANOS;
    }

    private void pause(long now) {
        phase = Phase.PAUSING;
        pauseUntil = now + plan.pauseMs() * 1_000_000L;
    }

    private void speak(Utterance u, boolean bargeIn) {
        utterance = u;
        frameIndex = 0;
        bargeTurn = bargeIn;
        bargeCleared = false;
        clearedAt = 0;
        clearWindowEnd = 0;
        if (!bargeIn) {
            replyStart = 0;
            dry = false;
            playedAny = false;
        }
        phase = Phase.SPEAKING;
    }

    // ---- WebSocket.Listener (the client's thread) ----

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long at = System.nanoTime();
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            JsonNode msg = Json.tryParse(text);
            String event = msg == null ? null : Json.string(msg, "event");
            if (event != null) {
                inbox.add(new Received(at, event, "mark".equals(event) ? msg.path("mark").path("name").asString("") : null));
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed = true;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed = true;
    }
}
