package dev.palaver.server.identity;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates requests outside {@code /api} (pages, WebSocket handshakes) from the page-session
 * cookies of {@link PageSessions}. It only establishes who is calling; {@link PageAccessInterceptor}
 * decides, failing closed, which page handlers need a signed-in member. The API ignores these cookies.
 */
public final class PageAuthenticationFilter extends OncePerRequestFilter {

    private final PageSessions sessions;

    PageAuthenticationFilter(PageSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.startsWith("/api/") || path.startsWith("/actuator/") || path.startsWith("/webjars/")
                || path.startsWith("/assets/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var caller = sessions.authenticate(request, response);
        if (caller.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        CallerAuthentication.proceedAs(caller.get(), request, response, chain);
    }
}
