package dev.palaver.server.calls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;

import dev.palaver.media.vad.EnergyVoiceActivityDetector;
import dev.palaver.media.vad.VoiceActivityDetector;
import dev.palaver.providers.offline.SileroModel;

/**
 * Voice activity detectors for calls: Silero VAD v5 when its model is in place (one ONNX session shared by
 * every call, a fresh detector state per call), else the energy detector. {@code palaver.calls.vad}
 * ({@code auto}, {@code silero}, {@code energy}) chooses; {@code auto} logs which one runs.
 */
@Component
class CallVoiceActivity {

    private static final Logger log = LoggerFactory.getLogger(CallVoiceActivity.class);

    private final SileroModel silero;

    CallVoiceActivity(@Value("${palaver.calls.vad:auto}") String choice) {
        this.silero = switch (choice) {
            case "energy" -> null;
            case "silero" -> load(SileroModel.defaultPath(), true);
            default -> Files.isRegularFile(SileroModel.defaultPath()) ? load(SileroModel.defaultPath(), false) : null;
        };
        if (silero == null) {
            log.info("Calls detect speech with the energy detector (scripts/fetch-models installs Silero VAD)");
        }
    }

    private static SileroModel load(Path path, boolean required) {
        try {
            return SileroModel.load(path);
        } catch (IOException | RuntimeException | LinkageError e) {
            if (required) {
                throw new IllegalStateException("palaver.calls.vad=silero but the model did not load: " + e.getMessage(), e);
            }
            log.warn("Silero VAD did not load ({}); calls use the energy detector", e.getMessage());
            return null;
        }
    }

    /** A detector for one call; the call closes it. */
    VoiceActivityDetector newDetector() {
        return silero != null ? silero.newDetector() : new EnergyVoiceActivityDetector();
    }

    String engine() {
        return silero != null ? "silero" : "energy";
    }

    @PreDestroy
    void close() {
        if (silero != null) {
            silero.close();
        }
    }
}
