package dev.palaver.server.providers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.palaver.media.time.SystemScheduler;
import dev.palaver.providers.resilience.ProviderBreakers;
import dev.palaver.providers.resilience.Resilience;

/**
 * The process's one scheduler for provider timers and the one {@link Resilience} every fallback chain
 * shares, so a provider's circuit breaker (per credential) sees every call and a dead provider is skipped
 * for everyone.
 */
@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

    @Bean(destroyMethod = "close")
    SystemScheduler providerScheduler() {
        return new SystemScheduler();
    }

    @Bean
    Resilience resilience(SystemScheduler providerScheduler, MicrometerProviderMetrics metrics) {
        return new Resilience(providerScheduler, ProviderBreakers.Settings.defaults(), metrics);
    }
}
