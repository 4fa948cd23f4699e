package dev.palaver.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Properties;
import java.util.Set;

/**
 * The operator's command line ({@code scripts/palaver}). Commands run in the server's jar without
 * starting the server.
 */
public final class PalaverCli {

    private static final Set<String> COMMANDS = Set.of("--help", "-h", "help", "version", "--version", "tts", "stt", "call");

    private final PrintStream out;
    private final PrintStream err;

    private final CallCommand.Server server;

    /** @param server starts the server's context for commands that run a call */
    public PalaverCli(PrintStream out, PrintStream err, java.util.function.Function<String[], org.springframework.context.ConfigurableApplicationContext> server) {
        this.out = out;
        this.err = err;
        this.server = server::apply;
    }

    public PalaverCli(PrintStream out, PrintStream err) {
        this(out, err, args -> {
            throw new IllegalStateException("this command needs the server");
        });
    }

    /** For a process that runs only this command: libraries' log lines become warnings on standard error. */
    public static void quietLogging() {
        CliLogging.warningsToStandardError();
    }

    public static boolean handles(String command) {
        return COMMANDS.contains(command);
    }

    public int run(String... args) {
        String command = args.length == 0 ? "--help" : args[0];
        return switch (command) {
            case "--help", "-h", "help" -> help();
            case "version", "--version" -> version();
            case "tts" -> new SpeechCommands(out, err).tts(java.util.Arrays.copyOfRange(args, 1, args.length));
            case "stt" -> new SpeechCommands(out, err).stt(java.util.Arrays.copyOfRange(args, 1, args.length));
            case "call" -> new CallCommand(out, err).run(server, java.util.Arrays.copyOfRange(args, 1, args.length));
            default -> {
                err.println("palaver: unknown command '" + command + "'; see `palaver --help`");
                yield 2;
            }
        };
    }

    private int help() {
        out.println("""
                Usage: palaver <command> [options]

                Commands:
                  serve        start the server (what scripts/run does; the default without a command)
                  tts --text T --out F.wav [--voice V]
                               speak T with the offline voice (flite, else FreeTTS) into a 16 kHz WAV
                  stt F.wav    print what the offline recognizer (pocketsphinx) hears in a WAV file
                  call --agent NAME --audio Q.wav [--out R.wav] [--org ID]
                               one whole call with a simulated caller who says Q.wav, through the
                               server's call runtime on its configuration (stop a server that uses the
                               same embedded database first); prints the transcript, writes the answer
                  version      print the Palaver version
                  help         show this help

                Configuration comes from the environment (PALAVER_*, SERVER_PORT, SERVER_ADDRESS);
                see docs/operations.md.""");
        return 0;
    }

    private int version() {
        out.println("palaver " + buildVersion());
        return 0;
    }

    static String buildVersion() {
        try (InputStream in = PalaverCli.class.getClassLoader().getResourceAsStream("META-INF/build-info.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("build.version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
