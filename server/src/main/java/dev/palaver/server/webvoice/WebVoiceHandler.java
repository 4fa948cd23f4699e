package dev.palaver.server.webvoice;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.palaver.server.identity.BearerCredentials;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.identity.Scopes;
import dev.palaver.server.platform.ratelimit.RateLimiter;
import dev.palaver.server.platform.web.ApiException;

/**
 * The browser voice socket, {@code /webvoice}. See docs/api.md ("Browser voice") for the protocol: the first
 * message is {@code start} (with a credential) or {@code resume}; then binary PCM16 16 kHz caller audio, and
 * {@code mark}, {@code dtmf} and {@code hangup} messages. Nothing is accepted before a valid first message,
 * which must come within {@link #FIRST_MESSAGE_TIMEOUT_MS}.
 */
@Component
class WebVoiceHandler extends AbstractWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(WebVoiceHandler.class);
    static final long FIRST_MESSAGE_TIMEOUT_MS = 10_000;
    static final String WRITER = "webvoice.writer";
    static final String CALL = "webvoice.call";
    /** Control messages are small; binary audio messages of up to 64 KB (2 s) are accepted. */
    static final int MAX_TEXT_MESSAGE = 8 * 1024;
    static final int MAX_BINARY_MESSAGE = 64 * 1024;

    private final WebCalls calls;
    private final BearerCredentials credentials;
    private final WebSessionTokens sessionTokens;
    private final PublishableKeys keys;
    private final RateLimiter limiter;
    private final RateLimiter.Limit startsPerKey;
    private final ObjectMapper json;

    WebVoiceHandler(WebCalls calls, BearerCredentials credentials, WebSessionTokens sessionTokens,
                    PublishableKeys keys, RateLimiter limiter, WebVoiceProperties properties, ObjectMapper json) {
        this.calls = calls;
        this.credentials = credentials;
        this.sessionTokens = sessionTokens;
        this.keys = keys;
        this.limiter = limiter;
        this.startsPerKey = RateLimiter.Limit.perMinute(properties.publicSessionsPerMinute());
        this.json = json;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) {
        socket.setTextMessageSizeLimit(MAX_TEXT_MESSAGE);
        socket.setBinaryMessageSizeLimit(MAX_BINARY_MESSAGE);
        SocketWriter writer = new SocketWriter(socket);
        socket.getAttributes().put(WRITER, writer);
        calls.timers().schedule(() -> {
            if (socket.isOpen() && !socket.getAttributes().containsKey(CALL)) {
                writer.close(CloseStatus.POLICY_VIOLATION.withReason("no start message"));
            }
        }, FIRST_MESSAGE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
        SocketWriter writer = writer(socket);
        JsonNode msg;
        try {
            msg = json.readTree(message.getPayload());
        } catch (JacksonException e) {
            refuse(writer, "malformed_json", "Messages are JSON objects with a \"type\".");
            return;
        }
        String type = msg.path("type").asString("");
        WebCalls.WebCall call = (WebCalls.WebCall) socket.getAttributes().get(CALL);
        if (call == null) {
            switch (type) {
                case "start" -> start(socket, writer, msg);
                case "resume" -> resume(socket, writer, msg);
                default -> refuse(writer, "bad_request", "The first message must be start or resume.");
            }
            return;
        }
        switch (type) {
            case "mark" -> call.transport().markPlayed(msg.path("name").asString(""));
            case "dtmf" -> {
                String digits = msg.path("digits").asString("");
                for (char c : digits.toCharArray()) {
                    if ("0123456789*#".indexOf(c) >= 0) {
                        call.transport().dtmfIn(c);
                    }
                }
            }
            case "hangup" -> {
                call.transport().callerHungUp();
                call.live().end("caller_hung_up");
            }
            case "ping" -> writer.send(new TextMessage("{\"type\":\"pong\"}"));
            default -> send(writer, Map.of("type", "error", "code", "bad_request", "message", "Unknown message type."));
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message) {
        WebCalls.WebCall call = (WebCalls.WebCall) socket.getAttributes().get(CALL);
        if (call != null) {
            call.transport().audioIn(writer(socket), message.getPayload());
        }
    }

    @Override
    public void handleTransportError(WebSocketSession socket, Throwable exception) {
        log.debug("Browser voice socket {} failed: {}", socket.getId(), exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        SocketWriter writer = writer(socket);
        writer.stop();
        WebCalls.WebCall call = (WebCalls.WebCall) socket.getAttributes().get(CALL);
        if (call != null && !call.transport().isClosed()) {
            call.transport().detached(writer);
        }
    }

    private void start(WebSocketSession socket, SocketWriter writer, JsonNode msg) {
        UUID agentId;
        try {
            agentId = UUID.fromString(msg.path("agentId").asString(""));
        } catch (IllegalArgumentException e) {
            refuse(writer, "validation_failed", "start needs the agentId of the agent to call.");
            return;
        }
        String origin = origin(socket);
        Optional<WebCalls.Starter> starter = authenticate(socket, msg.path("token").asString(""), agentId, origin, writer);
        if (starter.isEmpty()) {
            return;
        }
        try {
            WebCalls.WebCall call = calls.start(starter.get(), agentId, origin, writer);
            socket.getAttributes().put(CALL, call);
            send(writer, Map.of("type", "started", "callId", call.callId().toString(), "resumeToken", call.resumeToken(),
                    "sampleRate", 16000));
        } catch (ApiException e) {
            refuse(writer, e.code().wire(), e.getMessage());
        }
    }

    private Optional<WebCalls.Starter> authenticate(WebSocketSession socket, String token, UUID agentId, String origin,
                                                    SocketWriter writer) {
        if (WebSessionTokens.looksLikeToken(token)) {
            Optional<WebSessionTokens.WebSession> session = sessionTokens.open(token)
                    .filter(s -> s.origin().equals(origin) && s.agentId().equals(agentId))
                    .filter(s -> keys.find(s.orgId(), s.keyId()).isPresent());
            if (session.isEmpty()) {
                refuse(writer, "unauthenticated", "The session token is invalid, expired, revoked, or for another page or agent.");
                return Optional.empty();
            }
            var decision = limiter.tryConsume("webvoice-start:" + session.get().keyId(), startsPerKey);
            if (!decision.allowed()) {
                refuse(writer, "rate_limited", "Too many calls with this key; retry in " + decision.retryAfterSeconds() + " s.");
                return Optional.empty();
            }
            return Optional.of(new WebCalls.Starter(session.get().orgId(), null,
                    Map.of("publishableKeyId", session.get().keyId().toString(), "origin", origin)));
        }
        Optional<Caller> caller = token.isEmpty() ? pageCaller(socket) : credentials.authenticate(token);
        if (caller.isEmpty()) {
            refuse(writer, "unauthenticated", "Sign in, or send a valid access token, API key or session token.");
            return Optional.empty();
        }
        Caller c = caller.get();
        if (c.isApiKey() ? !c.scopes().contains(Scopes.CALLS_WRITE) : !c.role().atLeast(Role.MEMBER)) {
            refuse(writer, "forbidden", c.isApiKey() ? "This API key lacks the calls:write scope."
                    : "Calls need the member role or higher.");
            return Optional.empty();
        }
        return Optional.of(new WebCalls.Starter(c.orgId(), c.isApiKey() ? null : "web:" + c.userId(),
                c.isApiKey() ? Map.of("apiKeyId", c.apiKeyId().toString()) : Map.of("userId", c.userId().toString())));
    }

    /** The dashboard member signed in to the page that opened this socket, if it is a page of this server. */
    private Optional<Caller> pageCaller(WebSocketSession socket) {
        Object caller = socket.getAttributes().get(WebVoiceHandshake.PAGE_CALLER);
        return caller instanceof Caller c ? Optional.of(c) : Optional.empty();
    }

    private void resume(WebSocketSession socket, SocketWriter writer, JsonNode msg) {
        Optional<WebCalls.WebCall> call = calls.resumable(msg.path("resumeToken").asString(""))
                .filter(c -> c.origin() == null || c.origin().equals(origin(socket)));
        if (call.isEmpty()) {
            refuse(writer, "not_found", "That call has ended or cannot be resumed.");
            return;
        }
        socket.getAttributes().put(CALL, call.get());
        call.get().transport().attach(writer);
        send(writer, Map.of("type", "resumed", "callId", call.get().callId().toString()));
    }

    private static String origin(WebSocketSession socket) {
        Object origin = socket.getAttributes().get(WebVoiceHandshake.ORIGIN);
        return origin == null ? null : origin.toString();
    }

    private void refuse(SocketWriter writer, String code, String message) {
        send(writer, Map.of("type", "error", "code", code, "message", message));
        writer.close(CloseStatus.POLICY_VIOLATION.withReason(code));
    }

    private void send(SocketWriter writer, Map<String, ?> message) {
        writer.send(new TextMessage(json.writeValueAsString(message)));
    }

    static SocketWriter writer(WebSocketSession socket) {
        return (SocketWriter) socket.getAttributes().get(WRITER);
    }
}
