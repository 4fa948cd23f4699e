package dev.palaver.server.platform.security;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.session.NullAuthenticatedSessionStrategy;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

import dev.palaver.server.identity.ApiRateLimitFilter;
import dev.palaver.server.identity.BearerAuthenticationFilter;
import dev.palaver.server.identity.PageAuthenticationFilter;
import dev.palaver.server.platform.config.PalaverProperties;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.platform.web.Problems;

/**
 * Fails closed: everything under {@code /api} needs an authenticated principal; only health, the
 * metrics scrape (guarded by its own filter), the API description and public pages are open. Pages
 * authenticate from cookies ({@code PageAuthenticationFilter}); their state-changing requests need a
 * CSRF token ({@link PageCsrf}); which page handlers need a member is decided by the page interceptor.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, CorsConfigurationSource corsConfigurationSource,
                                    BearerAuthenticationFilter bearer, ApiRateLimitFilter rateLimits,
                                    PageAuthenticationFilter pages, PalaverProperties props) throws Exception {
        http
                .addFilterBefore(bearer, AnonymousAuthenticationFilter.class)
                .addFilterBefore(pages, AnonymousAuthenticationFilter.class)
                .addFilterAfter(rateLimits, BearerAuthenticationFilter.class)
                .csrf(csrf -> csrf
                        .csrfTokenRepository(PageCsrf.repository(
                                props.publicUrl() != null && props.publicUrl().startsWith("https://")))
                        // Every request authenticates afresh (no server session): do not rotate the token each time.
                        .sessionAuthenticationStrategy(new NullAuthenticatedSessionStrategy())
                        .requireCsrfProtectionMatcher(PageCsrf::needsToken))
                .cors(c -> c.configurationSource(corsConfigurationSource))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .anonymous(a -> { })
                .headers(h -> h
                        .contentTypeOptions(c -> { })
                        .frameOptions(f -> f.deny())
                        .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) ->
                                Problems.write(req, res, ErrorCode.UNAUTHENTICATED, ErrorCode.UNAUTHENTICATED.defaultDetail()))
                        .accessDeniedHandler((req, res, ex) ->
                                Problems.write(req, res, ErrorCode.FORBIDDEN, ErrorCode.FORBIDDEN.defaultDetail())))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus").permitAll()
                        .requestMatchers("/actuator/**").denyAll()
                        .requestMatchers("/api/docs", "/api/docs/**").permitAll()
                        .requestMatchers("/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/invitations/*/accept").permitAll()
                        .requestMatchers("/api/**").authenticated()
                        .anyRequest().permitAll());
        return http.build();
    }

    @Bean
    CorsConfigurationSource corsConfigurationSource(PalaverProperties props) {
        List<String> origins = props.http().corsAllowedOrigins();
        for (String origin : origins) {
            if (origin.contains("*")) {
                throw new IllegalStateException("palaver.http.cors-allowed-origins (PALAVER_CORS_ALLOWED_ORIGINS) must list exact origins; wildcards are not allowed");
            }
        }
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!origins.isEmpty()) {
            CorsConfiguration config = new CorsConfiguration();
            config.setAllowedOrigins(origins);
            config.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
            config.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"));
            config.setExposedHeaders(List.of("X-Request-ID", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After"));
            config.setAllowCredentials(true);
            config.setMaxAge(600L);
            source.registerCorsConfiguration("/api/**", config);
        }
        return source;
    }
}
