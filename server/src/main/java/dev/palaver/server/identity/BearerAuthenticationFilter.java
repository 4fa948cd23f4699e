package dev.palaver.server.identity;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.platform.web.Problems;

/**
 * {@code Authorization: Bearer <token>} where the token is an access token (JWT) or an API key. A token
 * that is present but not valid (malformed, expired, revoked, signed with an unknown key) is answered
 * 401 at once; no token leaves the request anonymous for the authorization rules to judge.
 */
public final class BearerAuthenticationFilter extends OncePerRequestFilter {

    private final BearerCredentials credentials;

    BearerAuthenticationFilter(BearerCredentials credentials) {
        this.credentials = credentials;
    }

    /** Only the API takes bearer credentials; elsewhere (the metrics scrape) the header means something else. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Caller> caller = header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? credentials.authenticate(header.substring(7).strip()) : Optional.empty();
        if (caller.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            Problems.write(request, response, ErrorCode.UNAUTHENTICATED,
                    "The bearer token is not valid (malformed, expired or revoked).");
            return;
        }
        CallerAuthentication.proceedAs(caller.get(), request, response, chain);
    }
}
