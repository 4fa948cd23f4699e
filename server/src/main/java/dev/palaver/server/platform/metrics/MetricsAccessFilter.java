package dev.palaver.server.platform.metrics;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.palaver.server.platform.config.PalaverProperties;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.platform.web.Problems;

/**
 * The Prometheus scrape: with {@code PALAVER_METRICS_TOKEN} set it needs that bearer token; without
 * one it is open to loopback clients only.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
final class MetricsAccessFilter extends OncePerRequestFilter {

    static final String PATH = "/actuator/prometheus";
    private final byte[] token;

    MetricsAccessFilter(PalaverProperties props) {
        String t = props.metricsToken();
        this.token = t == null || t.isBlank() ? null : t.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !PATH.equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (token != null) {
            String header = request.getHeader("Authorization");
            byte[] presented = header != null && header.startsWith("Bearer ")
                    ? header.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (!MessageDigest.isEqual(token, presented)) {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
                Problems.write(request, response, ErrorCode.UNAUTHENTICATED, "The metrics scrape needs its bearer token.");
                return;
            }
        } else if (!isLoopback(request.getRemoteAddr())) {
            Problems.write(request, response, ErrorCode.FORBIDDEN,
                    "The metrics scrape is open to loopback only; set PALAVER_METRICS_TOKEN to scrape remotely.");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isLoopback(String address) {
        try {
            return address != null && InetAddress.ofLiteral(address).isLoopbackAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
