package dev.palaver.server.webvoice;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * The {@code /webvoice} socket. Any origin may connect, because what a socket may do is decided by its
 * credential: a bearer token or API key (not ambient), a session token bound to one origin, or the
 * dashboard sign-in, honoured only from this server's own pages ({@link WebVoiceHandshake}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebVoiceConfiguration implements WebSocketConfigurer {

    /** Control messages are small; binary audio messages of up to 64 KB (2 s) are accepted. */
    static final int MAX_TEXT_MESSAGE = 8 * 1024;
    static final int MAX_BINARY_MESSAGE = 64 * 1024;

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

    @Bean
    static ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(MAX_TEXT_MESSAGE);
        container.setMaxBinaryMessageBufferSize(MAX_BINARY_MESSAGE);
        container.setMaxSessionIdleTimeout(60_000L);
        return container;
    }
}
