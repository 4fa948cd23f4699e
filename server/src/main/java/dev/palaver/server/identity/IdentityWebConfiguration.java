package dev.palaver.server.identity;

import java.time.Clock;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.palaver.server.platform.config.PalaverProperties;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

@Configuration(proxyBeanMethods = false)
class IdentityWebConfiguration implements WebMvcConfigurer {

    @Bean
    AccessTokens accessTokens(PalaverProperties props) {
        return new AccessTokens(SigningKeys.of(props.tokenSigningKey(), props.previousTokenSigningKeys(), props.dataDir()),
                Clock.systemUTC());
    }

    @Bean
    BearerAuthenticationFilter bearerAuthenticationFilter(BearerCredentials credentials) {
        return new BearerAuthenticationFilter(credentials);
    }

    /** The filter runs inside the security chain only, not a second time as a plain servlet filter. */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<BearerAuthenticationFilter> bearerFilterNotStandalone(
            BearerAuthenticationFilter filter) {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    PageAuthenticationFilter pageAuthenticationFilter(PageSessions sessions) {
        return new PageAuthenticationFilter(sessions);
    }

    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<PageAuthenticationFilter> pageFilterNotStandalone(
            PageAuthenticationFilter filter) {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    ApiRateLimitFilter apiRateLimitFilter(dev.palaver.server.platform.ratelimit.RateLimiter limiter,
                                          org.springframework.jdbc.core.simple.JdbcClient jdbc, PalaverProperties props) {
        return new ApiRateLimitFilter(limiter, jdbc, props.rateLimits().authPerMinute(), props.rateLimits().apiPerMinute());
    }

    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<ApiRateLimitFilter> rateLimitFilterNotStandalone(
            ApiRateLimitFilter filter) {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AccessInterceptor()).addPathPatterns("/api/**")
                .excludePathPatterns("/api/docs", "/api/docs/**");
        registry.addInterceptor(new PageAccessInterceptor()).addPathPatterns("/**")
                .excludePathPatterns("/api/**", "/actuator/**", "/error");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new HandlerMethodArgumentResolver() {
            @Override
            public boolean supportsParameter(MethodParameter parameter) {
                return parameter.getParameterType() == Caller.class;
            }

            @Override
            public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                          WebDataBinderFactory binders) {
                Caller caller = AccessInterceptor.currentCaller();
                if (caller == null) {
                    throw new ApiException(ErrorCode.UNAUTHENTICATED);
                }
                return caller;
            }
        });
    }
}
