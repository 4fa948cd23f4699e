package dev.palaver.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * Enforces each {@code /api} handler's {@link Access} rule. A handler without a rule (nor
 * {@link PublicEndpoint}) is refused to everybody: forgetting a rule fails closed.
 */
final class AccessInterceptor implements HandlerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(AccessInterceptor.class);

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || !request.getRequestURI().startsWith("/api/")) {
            return true;
        }
        if (method.hasMethodAnnotation(PublicEndpoint.class)) {
            return true;
        }
        Access rule = method.getMethodAnnotation(Access.class);
        if (rule == null) {
            log.error("Refusing {}: the handler {} declares no access rule", request.getRequestURI(), method.getShortLogMessage());
            throw new ApiException(ErrorCode.FORBIDDEN);
        }
        Caller caller = currentCaller();
        if (caller == null) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED);
        }
        boolean allowed = caller.isApiKey()
                ? !rule.scope().isEmpty() && caller.scopes().contains(rule.scope())
                : caller.role().atLeast(rule.role());
        if (!allowed) {
            throw new ApiException(ErrorCode.FORBIDDEN, caller.isApiKey()
                    ? (rule.scope().isEmpty() ? "API keys cannot do this; sign in as a member."
                        : "This API key lacks the scope " + rule.scope() + ".")
                    : "This needs the " + rule.role().wire() + " role or higher.");
        }
        return true;
    }

    static Caller currentCaller() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof Caller c ? c : null;
    }
}
