package dev.palaver.server.webvoice;

import java.util.Locale;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import dev.palaver.server.identity.PageSessions;

/**
 * Notes, at the handshake, the page's {@code Origin} (session tokens are bound to one) and, when the socket
 * is opened by a page of this server itself (same origin), the dashboard member signed in there. A signed-in
 * member's cookie is never honoured for a socket opened from another origin (cross-site WebSocket hijacking).
 */
final class WebVoiceHandshake implements HandshakeInterceptor {

    static final String ORIGIN = "webvoice.origin";
    static final String PAGE_CALLER = "webvoice.pageCaller";


    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) {
        String origin = request.getHeaders().getFirst(HttpHeaders.ORIGIN);
        if (origin != null) {
            attributes.put(ORIGIN, origin.toLowerCase(Locale.ROOT));
        }
        if (request instanceof ServletServerHttpRequest servlet && origin != null && sameOrigin(servlet, origin)) {
            PageSessions.caller(servlet.getServletRequest()).ifPresent(c -> attributes.put(PAGE_CALLER, c));
        }
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
    }

    private static boolean sameOrigin(ServletServerHttpRequest request, String origin) {
        var servlet = request.getServletRequest();
        int port = servlet.getServerPort();
        String scheme = servlet.getScheme();
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        String own = scheme + "://" + servlet.getServerName() + (defaultPort ? "" : ":" + port);
        return own.equalsIgnoreCase(origin);
    }
}
