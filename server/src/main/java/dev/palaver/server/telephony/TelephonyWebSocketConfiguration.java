package dev.palaver.server.telephony;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/** Registers Twilio's media stream socket. Authentication is the stream token in its start message. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class TelephonyWebSocketConfiguration implements WebSocketConfigurer {

    private final TwilioMediaHandler handler;

    TelephonyWebSocketConfiguration(TwilioMediaHandler handler) {
        this.handler = handler;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/telephony/twilio/media");
    }

    /** Twilio's messages are small: a bound on them bounds what a bad client can make us buffer. */
    @Bean
    ServletServerContainerFactoryBean twilioWebSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(64 * 1024);
        container.setMaxBinaryMessageBufferSize(64 * 1024);
        container.setMaxSessionIdleTimeout(60_000L);
        return container;
    }
}
