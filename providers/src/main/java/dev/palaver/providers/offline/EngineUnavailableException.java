package dev.palaver.providers.offline;

/**
 * An offline speech engine cannot run on this machine: its native library or model files are missing or of
 * an unexpected version. Carries the exact command that installs what is missing.
 */
public final class EngineUnavailableException extends Exception {
    private final String problem;
    private final String installCommand;

    public EngineUnavailableException(String problem, String installCommand) {
        super(problem + "; install with: " + installCommand);
        this.problem = problem;
        this.installCommand = installCommand;
    }

    public EngineUnavailableException(String problem, String installCommand, Throwable cause) {
        super(problem + "; install with: " + installCommand, cause);
        this.problem = problem;
        this.installCommand = installCommand;
    }

    /** What is missing, without the install command. */
    public String problem() {
        return problem;
    }

    /** The shell command that installs the missing pieces, e.g. {@code apt-get install -y libflite1}. */
    public String installCommand() {
        return installCommand;
    }
}
