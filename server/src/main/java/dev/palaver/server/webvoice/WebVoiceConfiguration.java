package dev.palaver.server.webvoice;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * The {@code /webvoice} socket. Any origin may connect, because what a socket may do is decided by its
 * credential: a bearer token or API key (not ambient), a session token bound to one origin, or the
 * dashboard sign-in, honoured only from this server's own pages ({@link WebVoiceHandshake}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebVoiceConfiguration implements WebSocketConfigurer {

    private final WebVoiceHandler handler;

    WebVoiceConfiguration(WebVoiceHandler handler) {
        this.handler = handler;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/webvoice")
                .addInterceptors(new WebVoiceHandshake())
                .setAllowedOriginPatterns("*");
    }
}
