package dev.palaver.providers.offline;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Silero VAD v5 ONNX model, loaded once and shared by every call's {@link SileroVoiceActivityDetector}.
 * Thread-safe: ONNX Runtime sessions may run concurrently; each detector keeps its own recurrent state.
 */
public final class SileroModel implements AutoCloseable {
    /** File name inside the models directory, as {@code scripts/fetch-models} puts it there. */
    public static final String FILE_NAME = "silero_vad_v5.onnx";

    private static final Logger log = LoggerFactory.getLogger(SileroModel.class);

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final Path path;

    private SileroModel(OrtEnvironment environment, OrtSession session, Path path) {
        this.environment = environment;
        this.session = session;
        this.path = path;
    }

    /** Loads the model from {@code file}. */
    public static SileroModel load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Silero VAD model not found at " + file + " (scripts/fetch-models puts it in place)");
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // Hundreds of calls share the CPU: one thread per inference beats fanning each tiny one out.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = environment.createSession(file.toString(), options);
            requireSignature(session, file);
            log.info("Loaded Silero VAD model from {}", file);
            return new SileroModel(environment, session, file);
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime could not load the Silero VAD model at " + file, e);
        }
    }

    /**
     * Where the model is expected: {@code PALAVER_SILERO_MODEL} if set, else {@value #FILE_NAME} in
     * {@code PALAVER_MODELS_DIR}, else in {@code ~/.cache/palaver/models}.
     */
    public static Path defaultPath() {
        return defaultPath(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static Path defaultPath(Map<String, String> environment, Path home) {
        String explicit = environment.get("PALAVER_SILERO_MODEL");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String directory = environment.get("PALAVER_MODELS_DIR");
        Path models = directory != null && !directory.isBlank()
                ? Path.of(directory)
                : home.resolve(".cache").resolve("palaver").resolve("models");
        return models.resolve(FILE_NAME);
    }

    public Path path() {
        return path;
    }

    /** A detector with fresh state for one call. */
    public SileroVoiceActivityDetector newDetector() {
        return new SileroVoiceActivityDetector(this);
    }

    OrtEnvironment environment() {
        return environment;
    }

    OrtSession session() {
        return session;
    }

    /** Releases the native session; detectors still using it fail from then on. */
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            log.warn("Closing the Silero VAD session failed", e);
        }
    }

    private static void requireSignature(OrtSession session, Path file) throws OrtException, IOException {
        if (!session.getInputNames().containsAll(Set.of(SileroVoiceActivityDetector.INPUT,
                SileroVoiceActivityDetector.STATE, SileroVoiceActivityDetector.SAMPLE_RATE))
                || !session.getOutputNames().containsAll(Set.of(SileroVoiceActivityDetector.OUTPUT,
                SileroVoiceActivityDetector.NEXT_STATE))) {
            session.close();
            throw new IOException(file + " is not Silero VAD v5: inputs " + session.getInputNames()
                    + ", outputs " + session.getOutputNames());
        }
    }
}
