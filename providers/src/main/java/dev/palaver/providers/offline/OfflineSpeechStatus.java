package dev.palaver.providers.offline;

import java.util.Objects;

/**
 * How one offline speech capability runs on this machine, for health details and the startup log.
 *
 * @param capability     what it is
 * @param engine         the engine doing it ({@code flite}, {@code freetts}, {@code pocketsphinx}), or
 *                       {@code none} when nothing can
 * @param degraded       true when the preferred engine is missing and a fallback (or nothing) runs instead
 * @param problem        why it is degraded; empty when not
 * @param installCommand the command that restores the preferred engine; empty when not degraded
 */
public record OfflineSpeechStatus(Capability capability, String engine, boolean degraded, String problem,
                                  String installCommand) {
    public static final String NO_ENGINE = "none";

    public enum Capability { TEXT_TO_SPEECH, SPEECH_TO_TEXT }

    public OfflineSpeechStatus {
        Objects.requireNonNull(capability, "capability");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(installCommand, "installCommand");
    }

    static OfflineSpeechStatus healthy(Capability capability, String engine) {
        return new OfflineSpeechStatus(capability, engine, false, "", "");
    }

    static OfflineSpeechStatus degraded(Capability capability, String engine, EngineUnavailableException cause) {
        return new OfflineSpeechStatus(capability, engine, true, cause.problem(), cause.installCommand());
    }

    /** One line for the log: what runs, and if degraded, why and what to install. */
    public String summary() {
        String what = capability == Capability.TEXT_TO_SPEECH ? "offline text-to-speech" : "offline speech-to-text";
        if (!degraded) {
            return what + " runs on " + engine;
        }
        String running = engine.equals(NO_ENGINE) ? " is unavailable" : " runs degraded on " + engine;
        return what + running + ": " + problem + "; install with: " + installCommand;
    }
}
