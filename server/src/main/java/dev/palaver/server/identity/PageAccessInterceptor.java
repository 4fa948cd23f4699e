package dev.palaver.server.identity;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * Fails closed for everything outside {@code /api}: a handler there (a page, a form post, a webhook) needs
 * a signed-in member unless it is marked {@link PublicEndpoint}; a handler with {@link Access} also needs
 * that role. A browser without a session is sent to {@code /login} (htmx requests through
 * {@code HX-Redirect}); other methods than GET get 401.
 */
final class PageAccessInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        if (!(handler instanceof HandlerMethod method) || method.hasMethodAnnotation(PublicEndpoint.class)) {
            return true;
        }
        Caller caller = AccessInterceptor.currentCaller();
        if (caller == null) {
            String login = "/login?next=" + URLEncoder.encode(next(request), StandardCharsets.UTF_8);
            if (request.getHeader("HX-Request") != null) {
                response.setHeader("HX-Redirect", login);
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                return false;
            }
            if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
                throw new ApiException(ErrorCode.UNAUTHENTICATED, "Sign in first.");
            }
            response.sendRedirect(login);
            return false;
        }
        Access rule = method.getMethodAnnotation(Access.class);
        if (rule != null && (caller.isApiKey() || !caller.role().atLeast(rule.role()))) {
            throw new ApiException(ErrorCode.FORBIDDEN, "This needs the " + rule.role().wire() + " role or higher.");
        }
        return true;
    }

    /** Where to return after signing in: this page's path and query, never another site. */
    private static String next(HttpServletRequest request) {
        String query = request.getQueryString();
        return request.getRequestURI() + (query == null ? "" : "?" + query);
    }
}
