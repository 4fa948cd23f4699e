package dev.palaver.server.providers;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.palaver.providers.offline.OfflineSpeech;
import dev.palaver.providers.offline.OfflineSpeechStatus;

/**
 * The offline voice (flite, pocketsphinx; FreeTTS when flite is missing), opened once at startup. A missing
 * native library never stops the server: it logs one line with the install command, the fallback runs,
 * and {@code /actuator/health} shows the capability as DEGRADED with that command.
 */
@Configuration(proxyBeanMethods = false)
class OfflineSpeechConfiguration {

    static final Status DEGRADED = new Status("DEGRADED", "runs on a fallback; see the install command");

    @Bean(destroyMethod = "close")
    OfflineSpeech offlineSpeech(Environment env) {
        OfflineSpeech.Settings settings = OfflineSpeech.Settings.defaults();
        String flite = env.getProperty("palaver.offline.flite-library");
        if (flite != null && !flite.isBlank()) {
            settings = settings.withFliteLibrary(flite);
        }
        String pocketsphinx = env.getProperty("palaver.offline.pocketsphinx-library");
        if (pocketsphinx != null && !pocketsphinx.isBlank()) {
            settings = settings.withRecognizer(settings.recognizer().withLibrary(pocketsphinx));
        }
        return OfflineSpeech.open(settings);
    }

    @Bean
    HealthIndicator offlineSpeechHealthIndicator(OfflineSpeech speech) {
        return () -> {
            List<OfflineSpeechStatus> statuses = speech.status();
            Health.Builder health = statuses.stream().anyMatch(OfflineSpeechStatus::degraded)
                    ? Health.status(DEGRADED) : Health.up();
            Map<String, Object> details = statuses.stream().collect(Collectors.toMap(
                    s -> s.capability() == OfflineSpeechStatus.Capability.TEXT_TO_SPEECH ? "textToSpeech" : "speechToText",
                    s -> s.degraded()
                            ? Map.of("engine", s.engine(), "degraded", true, "problem", s.problem(), "install", s.installCommand())
                            : Map.of("engine", s.engine(), "degraded", false)));
            return health.withDetails(details).build();
        };
    }
}
