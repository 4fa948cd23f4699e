package dev.palaver.server.webvoice;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.stereotype.Service;

import tools.jackson.databind.ObjectMapper;

import dev.palaver.media.call.CallEvent;
import dev.palaver.media.stt.SpeechToText;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.server.brain.CallControl;
import dev.palaver.server.calls.CallDirection;
import dev.palaver.server.calls.CallObserver;
import dev.palaver.server.calls.CallRuntime;
import dev.palaver.server.calls.CallStart;
import dev.palaver.server.calls.LiveCall;

import jakarta.annotation.PreDestroy;

/**
 * The browser calls running on this node, each reachable again by its resume token (256 random bits) while
 * it lasts. A call runs through {@link CallRuntime} with direction {@code web}, so it is recorded like a phone
 * call; its captions and agent state reach the browser through a {@link CallObserver}.
 */
@Service
class WebCalls {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A running browser call. */
    record WebCall(UUID orgId, UUID callId, String resumeToken, String origin, WebCallTransport transport,
                   LiveCall live) {
    }

    /** Who starts a call: the organization, and what to record of the caller. */
    record Starter(UUID orgId, String callerId, Map<String, Object> metadata) {
    }

    private final CallRuntime runtime;
    private final ObjectMapper json;
    private final WebVoiceProperties properties;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("webvoice-timers").daemon().factory());
    private final Map<String, WebCall> byResumeToken = new ConcurrentHashMap<>();

    WebCalls(CallRuntime runtime, ObjectMapper json, WebVoiceProperties properties) {
        this.runtime = runtime;
        this.json = json;
        this.properties = properties;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    /** Starts a call with {@code agentId} on a new transport attached to {@code socket}. */
    WebCall start(Starter starter, UUID agentId, String origin, SocketWriter socket) {
        WebCallTransport transport = new WebCallTransport(json, timers, properties.resumeWindow());
        transport.attach(socket);
        Map<String, Object> metadata = new LinkedHashMap<>(starter.metadata());
        metadata.put("channel", "browser");
        LiveCall live = runtime.start(
                new CallStart(starter.orgId(), agentId, CallDirection.WEB, null, null, starter.callerId(), metadata),
                transport, control(transport), observer(transport));
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String resumeToken = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        WebCall call = new WebCall(starter.orgId(), live.callId(), resumeToken, origin, transport, live);
        byResumeToken.put(resumeToken, call);
        live.ended().whenComplete((ended, failure) -> {
            byResumeToken.remove(resumeToken);
            transport.end(ended == null ? "ended" : ended.endReason());
        });
        return call;
    }

    /** The call a resume token belongs to, if it is still running. */
    Optional<WebCall> resumable(String resumeToken) {
        return resumeToken == null ? Optional.empty() : Optional.ofNullable(byResumeToken.get(resumeToken));
    }

    int running() {
        return byResumeToken.size();
    }

    private static CallControl control(WebCallTransport transport) {
        return new CallControl() {
            @Override
            public void transfer(String destination) {
                // A browser call cannot be handed to a phone number; the caller is told where to call.
                transport.notice("transfer", "The agent suggests calling " + destination + ".");
            }

            @Override
            public void sendDtmf(String digits) {
                transport.sendDtmf(digits);
            }

            @Override
            public void endCall() {
                // The engine ends the call itself once the end_call tool's reply has played.
            }
        };
    }

    private static CallObserver observer(WebCallTransport transport) {
        return new CallObserver() {
            @Override
            public SpeechToText speechToText(SpeechToText stt) {
                return listener -> stt.open(new SpeechToText.Listener() {
                    @Override
                    public void onPartial(String text) {
                        transport.callerPartial(text);
                        listener.onPartial(text);
                    }

                    @Override
                    public void onFinal(String text, boolean flushed) {
                        listener.onFinal(text, flushed);
                    }

                    @Override
                    public void onError(String message) {
                        listener.onError(message);
                    }
                });
            }

            @Override
            public TextToSpeech textToSpeech(TextToSpeech tts) {
                // What is about to be said is the agent's caption.
                return (text, listener) -> {
                    transport.agentSpeaks(text);
                    return tts.synthesize(text, listener);
                };
            }

            @Override
            public void accept(CallEvent event) {
                transport.event(event);
            }
        };
    }

    @PreDestroy
    void stop() {
        byResumeToken.values().forEach(c -> c.live().end("server_shutdown"));
        timers.shutdownNow();
    }
}
