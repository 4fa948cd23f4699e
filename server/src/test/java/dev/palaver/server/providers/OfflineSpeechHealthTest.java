package dev.palaver.server.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

import dev.palaver.providers.offline.OfflineSpeech;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.PalaverApps;
import dev.palaver.server.testing.TestDatabases;

@ExtendWith(OutputCaptureExtension.class)
class OfflineSpeechHealthTest {

    private static JsonNode offlineSpeech(ConfigurableApplicationContext app) {
        try (Http http = new Http(PalaverApps.port(app))) {
            var health = http.get("/actuator/health");
            assertThat(health.statusCode()).isEqualTo(200);
            return Http.json(health).get("components").get("offlineSpeech");
        }
    }

    @Test
    void withDebiansLibrariesTheOfflineVoiceIsHealthy() {
        try (var app = PalaverApps.start(PalaverApps.on(TestDatabases.shared()))) {
            JsonNode speech = offlineSpeech(app);
            assertThat(speech.get("status").asString()).isEqualTo("UP");
            assertThat(speech.get("details").get("textToSpeech").get("engine").asString()).isEqualTo("flite");
            assertThat(speech.get("details").get("speechToText").get("engine").asString()).isEqualTo("pocketsphinx");
        }
    }

    @Test
    void withoutFliteTheServerStartsSaysWhatToInstallAndSpeaksWithFreeTts(CapturedOutput output) {
        Map<String, String> settings = PalaverApps.on(TestDatabases.shared());
        settings.put("palaver.offline.flite-library", "libflite-not-installed.so.1");
        try (var app = PalaverApps.start(settings)) {
            JsonNode speech = offlineSpeech(app);
            assertThat(speech.get("status").asString()).isEqualTo("DEGRADED");
            JsonNode tts = speech.get("details").get("textToSpeech");
            assertThat(tts.get("engine").asString()).isEqualTo("freetts");
            assertThat(tts.get("install").asString()).contains("apt-get install").contains("libflite1");
            assertThat(output.getAll()).containsPattern("(?m)^.*WARN.*apt-get install -y libflite1.*$");

            OfflineSpeech voice = app.getBean(OfflineSpeech.class);
            short[] audio = voice.synthesize("Hello, you have reached the front desk.");
            assertThat(audio.length).as("about two seconds at 16 kHz").isGreaterThan(16_000);
            assertThat(readiness(app)).isEqualTo(200);
        }
    }

    private static int readiness(ConfigurableApplicationContext app) {
        try (Http http = new Http(PalaverApps.port(app))) {
            return http.get("/actuator/health/readiness").statusCode();
        }
    }
}
