package dev.palaver.server.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.http.ProviderFailure;
import dev.palaver.providers.resilience.ProviderMetrics.BreakerState;
import dev.palaver.providers.resilience.ProviderMetrics.Capability;
import dev.palaver.providers.resilience.ProviderMetrics.Outcome;
import dev.palaver.providers.resilience.ProviderMetrics;
import dev.palaver.server.testing.Scrapes;
import dev.palaver.server.testing.SharedPalaverContext;

/** The provider metrics bean, as Prometheus scrapes it: names, tags, values, promtool-clean, no key. */
class MicrometerProviderMetricsTest extends SharedPalaverContext {

    private static final String KEY = "sk-metrics-T5y7U9i1O3p5A7s9";

    @Test
    void providerLatencyErrorsRetriesAndBreakerStateAreScrapedPromtoolClean() throws Exception {
        ProviderMetrics metrics = context.getBean(ProviderMetrics.class);
        String fingerprint = ApiKey.of(KEY).fingerprint();
        metrics.requestStarted("elevenlabs", Capability.TTS);
        metrics.requestFinished("elevenlabs", Capability.TTS, Outcome.SUCCESS, Optional.of(Duration.ofMillis(180)),
                Duration.ofMillis(900));
        metrics.requestFinished("elevenlabs", Capability.TTS, Outcome.ABANDONED, Optional.empty(), Duration.ofMillis(2500));
        metrics.failure("elevenlabs", Capability.TTS, ProviderFailure.Kind.RATE_LIMITED);
        metrics.failure("elevenlabs", Capability.TTS, ProviderFailure.Kind.RATE_LIMITED);
        metrics.retryScheduled("elevenlabs", Capability.TTS, Duration.ofMillis(200));
        metrics.breakerStateChanged("elevenlabs", fingerprint, BreakerState.CLOSED);
        metrics.breakerStateChanged("elevenlabs", fingerprint, BreakerState.OPEN);
        metrics.breakerStateChanged("openai", "none", BreakerState.HALF_OPEN);

        String scrape = Scrapes.scrape(http);

        assertThat(scrape)
                .containsPattern("(?m)^palaver_provider_latency_seconds_bucket\\{.*kind=\"tts\".*outcome=\"success\".*provider=\"elevenlabs\"")
                .containsPattern("(?m)^palaver_provider_latency_seconds_count\\{(application=\"palaver\",)?kind=\"tts\",outcome=\"abandoned\",provider=\"elevenlabs\"\\} 1(\\.0)?$")
                .containsPattern("(?m)^palaver_provider_first_output_seconds_count\\{(application=\"palaver\",)?kind=\"tts\",provider=\"elevenlabs\"\\} 1(\\.0)?$")
                .containsPattern("(?m)^palaver_provider_errors_total\\{(application=\"palaver\",)?class=\"rate_limited\",kind=\"tts\",provider=\"elevenlabs\"\\} 2(\\.0)?$")
                .containsPattern("(?m)^palaver_provider_retries_total\\{(application=\"palaver\",)?kind=\"tts\",provider=\"elevenlabs\"\\} 1(\\.0)?$")
                .containsPattern("(?m)^palaver_provider_breaker_state\\{(application=\"palaver\",)?credential=\"" + fingerprint
                        + "\",provider=\"elevenlabs\"\\} 2(\\.0)?$")
                .containsPattern("(?m)^palaver_provider_breaker_state\\{(application=\"palaver\",)?credential=\"none\",provider=\"openai\"\\} 1(\\.0)?$")
                .doesNotContain(KEY).doesNotContain(KEY.substring(10));
        Scrapes.assertPromtoolClean(scrape);
    }
}
