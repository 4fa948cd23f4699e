package dev.palaver.server.telephony;

import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import jakarta.annotation.PreDestroy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.palaver.server.calls.CallRuntime;
import dev.palaver.server.calls.LiveCall;

/**
 * Twilio's media stream socket ({@code /telephony/twilio/media}). The socket is anonymous until its
 * {@code start} message brings a valid stream token (see {@link StreamTokens}); then the call's media
 * attaches to the call runtime. Messages: connected, start, media, mark, dtmf, stop. A malformed message
 * (not JSON, an unknown event, a bad payload or digit) and an out-of-order one (media, mark, dtmf or stop
 * before start or after stop, a second start, a mark for a name never sent) are ignored and counted in
 * {@code palaver_twilio_messages_ignored_total{reason}}; {@link #MAX_CONSECUTIVE_MALFORMED} malformed
 * messages in a row close the socket with a reason, as does a socket with no valid start after
 * {@link #START_TIMEOUT_SECONDS}.
 */
@Component
class TwilioMediaHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(TwilioMediaHandler.class);
    static final int MAX_CONSECUTIVE_MALFORMED = 50;
    static final int START_TIMEOUT_SECONDS = 10;
    static final int MAX_PAYLOAD_BYTES = 1_600;
    private static final String STATE = "twilio.stream";
    /** The end reason of a call the agent transferred. */
    static final String TRANSFERRED = "transferred";

    private final CallRuntime runtime;
    private final StreamTokens tokens;
    private final TwilioAccounts accounts;
    private final TwilioRest rest;
    private final ObjectMapper json;
    private final Counter malformedMessages;
    private final Counter outOfOrderMessages;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("twilio-stream-timeouts").factory());

    TwilioMediaHandler(CallRuntime runtime, StreamTokens tokens, TwilioAccounts accounts, TwilioRest rest,
                       ObjectMapper json, MeterRegistry registry) {
        this.runtime = runtime;
        this.malformedMessages = ignored(registry, "malformed");
        this.outOfOrderMessages = ignored(registry, "out_of_order");
        this.tokens = tokens;
        this.accounts = accounts;
        this.rest = rest;
        this.json = json;
    }

    private static Counter ignored(MeterRegistry registry, String reason) {
        return Counter.builder("palaver.twilio.messages.ignored")
                .description("Twilio media stream messages ignored as malformed or out of order")
                .tag("reason", reason)
                .register(registry);
    }

    /** What became of one message. */
    enum Outcome { HANDLED, MALFORMED, OUT_OF_ORDER }

    /** One socket's state; touched by the socket's message thread (one message at a time). */
    static final class Stream {
        final WebSocketSession socket;
        TwilioMediaTransport transport;
        LiveCall call;
        boolean stopped;
        int consecutiveMalformed;
        long malformed;

        Stream(WebSocketSession socket) {
            this.socket = socket;
        }
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        WebSocketSession concurrent = new ConcurrentWebSocketSessionDecorator(session, 5_000, 512 * 1024);
        session.getAttributes().put(STATE, new Stream(concurrent));
        timer.schedule(() -> {
            Stream s = (Stream) session.getAttributes().get(STATE);
            if (s != null && s.call == null && session.isOpen()) {
                close(s, CloseStatus.POLICY_VIOLATION.withReason("no valid start message"));
            }
        }, START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        Stream s = (Stream) session.getAttributes().get(STATE);
        if (s == null) {
            return;
        }
        Outcome outcome;
        try {
            outcome = handle(s, json.readTree(message.getPayload()));
        } catch (RuntimeException e) {
            outcome = Outcome.MALFORMED;
        }
        switch (outcome) {
            case HANDLED -> {
                s.consecutiveMalformed = 0;
                return;
            }
            case OUT_OF_ORDER -> {
                s.consecutiveMalformed = 0;
                outOfOrderMessages.increment();
                return;
            }
            case MALFORMED -> malformedMessages.increment();
        }
        s.malformed++;
        if (++s.consecutiveMalformed >= MAX_CONSECUTIVE_MALFORMED) {
            log.warn("Closing Twilio stream after {} malformed messages in a row", s.consecutiveMalformed);
            close(s, CloseStatus.POLICY_VIOLATION.withReason("too many malformed messages"));
        }
    }

    /** Handles one message, unless it is malformed or comes out of order. */
    private Outcome handle(Stream s, JsonNode msg) {
        String event = msg.path("event").asString("");
        boolean streaming = s.transport != null && !s.stopped;
        return switch (event) {
            case "connected" -> s.transport == null ? Outcome.HANDLED : Outcome.OUT_OF_ORDER;
            case "start" -> s.transport != null ? Outcome.OUT_OF_ORDER : start(s, msg);
            case "media" -> {
                byte[] payload = Base64.getDecoder().decode(msg.path("media").path("payload").asString(""));
                if (payload.length == 0 || payload.length > MAX_PAYLOAD_BYTES) {
                    yield Outcome.MALFORMED;
                }
                if (!streaming) {
                    yield Outcome.OUT_OF_ORDER;
                }
                s.transport.received(payload);
                yield Outcome.HANDLED;
            }
            case "mark" -> {
                String name = msg.path("mark").path("name").asString("");
                if (name.isEmpty()) {
                    yield Outcome.MALFORMED;
                }
                yield streaming && s.transport.markPlayed(name) ? Outcome.HANDLED : Outcome.OUT_OF_ORDER;
            }
            case "dtmf" -> {
                String digit = msg.path("dtmf").path("digit").asString("");
                if (digit.length() != 1 || "0123456789*#ABCD".indexOf(digit.charAt(0)) < 0) {
                    yield Outcome.MALFORMED;
                }
                if (!streaming) {
                    yield Outcome.OUT_OF_ORDER;
                }
                s.transport.dtmf(digit.charAt(0));
                yield Outcome.HANDLED;
            }
            case "stop" -> {
                if (!streaming) {
                    yield Outcome.OUT_OF_ORDER;
                }
                s.stopped = true;
                s.transport.closed();
                yield Outcome.HANDLED;
            }
            default -> Outcome.MALFORMED;
        };
    }

    private Outcome start(Stream s, JsonNode msg) {
        JsonNode start = msg.path("start");
        String streamSid = start.path("streamSid").asString(msg.path("streamSid").asString(""));
        String callSid = start.path("callSid").asString("");
        Optional<StreamTokens.Claims> claims = tokens.verify(start.path("customParameters").path(Twiml.TOKEN_PARAMETER).asString(""));
        Optional<TwilioAccounts.Account> account = claims.flatMap(c -> accounts.find(c.orgId()));
        if (claims.isEmpty() || account.isEmpty() || streamSid.isEmpty()) {
            close(s, CloseStatus.POLICY_VIOLATION.withReason("invalid stream token"));
            return Outcome.HANDLED;
        }
        TwilioAccounts.Account acct = account.get();
        TwilioMediaTransport transport = new TwilioMediaTransport(s.socket, streamSid, json,
                () -> rest.complete(acct, callSid));
        LiveCall[] holder = new LiveCall[1];
        TwilioCallControl control = new TwilioCallControl(rest, acct, callSid, transport, () -> {
            transport.handedOver();
            if (holder[0] != null) {
                holder[0].end(TRANSFERRED);
            }
        });
        try {
            holder[0] = runtime.attach(claims.get().orgId(), claims.get().callId(), transport, control);
        } catch (RuntimeException e) {
            log.info("Refusing Twilio stream {}: {}", streamSid, e.getMessage());
            close(s, CloseStatus.POLICY_VIOLATION.withReason("stream token already used or call ended"));
            return Outcome.HANDLED;
        }
        s.transport = transport;
        s.call = holder[0];
        return Outcome.HANDLED;
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Stream s = (Stream) session.getAttributes().get(STATE);
        if (s != null && s.transport != null) {
            s.transport.closed();
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("Twilio stream transport error: {}", exception.toString());
    }

    private static void close(Stream s, CloseStatus status) {
        try {
            s.socket.close(status);
        } catch (IOException e) {
            log.debug("Closing a Twilio stream: {}", e.toString());
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
