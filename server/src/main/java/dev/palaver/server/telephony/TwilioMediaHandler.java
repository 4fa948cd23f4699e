package dev.palaver.server.telephony;

import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
 * attaches to the call runtime. Messages: connected, start, media, mark, dtmf, stop. A malformed or
 * out-of-order message is counted and ignored; {@link #MAX_CONSECUTIVE_MALFORMED} in a row close the socket
 * with a reason, as does a socket with no valid start after {@link #START_TIMEOUT_SECONDS}.
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
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("twilio-stream-timeouts").factory());

    TwilioMediaHandler(CallRuntime runtime, StreamTokens tokens, TwilioAccounts accounts, TwilioRest rest,
                       ObjectMapper json) {
        this.runtime = runtime;
        this.tokens = tokens;
        this.accounts = accounts;
        this.rest = rest;
        this.json = json;
    }

    /** One socket's state; touched by the socket's message thread (one message at a time). */
    static final class Stream {
        final WebSocketSession socket;
        TwilioMediaTransport transport;
        LiveCall call;
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
        boolean good;
        try {
            good = handle(s, json.readTree(message.getPayload()));
        } catch (RuntimeException e) {
            good = false;
        }
        if (good) {
            s.consecutiveMalformed = 0;
            return;
        }
        s.malformed++;
        if (++s.consecutiveMalformed >= MAX_CONSECUTIVE_MALFORMED) {
            log.warn("Closing Twilio stream after {} malformed messages in a row", s.consecutiveMalformed);
            close(s, CloseStatus.POLICY_VIOLATION.withReason("too many malformed messages"));
        }
    }

    /** Handles one message; false if it was malformed or out of order. */
    private boolean handle(Stream s, JsonNode msg) {
        String event = msg.path("event").asString("");
        return switch (event) {
            case "connected" -> s.transport == null;
            case "start" -> start(s, msg);
            case "media" -> {
                if (s.transport == null) {
                    yield false;
                }
                byte[] payload = Base64.getDecoder().decode(msg.path("media").path("payload").asString(""));
                if (payload.length == 0 || payload.length > MAX_PAYLOAD_BYTES) {
                    yield false;
                }
                s.transport.received(payload);
                yield true;
            }
            case "mark" -> {
                String name = msg.path("mark").path("name").asString("");
                if (s.transport == null || name.isEmpty()) {
                    yield false;
                }
                s.transport.markPlayed(name);
                yield true;
            }
            case "dtmf" -> {
                String digit = msg.path("dtmf").path("digit").asString("");
                if (s.transport == null || digit.length() != 1 || "0123456789*#ABCD".indexOf(digit.charAt(0)) < 0) {
                    yield false;
                }
                s.transport.dtmf(digit.charAt(0));
                yield true;
            }
            case "stop" -> {
                if (s.transport == null) {
                    yield false;
                }
                s.transport.closed();
                yield true;
            }
            default -> false;
        };
    }

    private boolean start(Stream s, JsonNode msg) {
        if (s.transport != null) {
            return false;
        }
        JsonNode start = msg.path("start");
        String streamSid = start.path("streamSid").asString(msg.path("streamSid").asString(""));
        String callSid = start.path("callSid").asString("");
        Optional<StreamTokens.Claims> claims = tokens.verify(start.path("customParameters").path(Twiml.TOKEN_PARAMETER).asString(""));
        Optional<TwilioAccounts.Account> account = claims.flatMap(c -> accounts.find(c.orgId()));
        if (claims.isEmpty() || account.isEmpty() || streamSid.isEmpty()) {
            close(s, CloseStatus.POLICY_VIOLATION.withReason("invalid stream token"));
            return true;
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
            return true;
        }
        s.transport = transport;
        s.call = holder[0];
        return true;
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
