package dev.palaver.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palaver.server.testing.JavaProcess;

/** The operator CLI ({@code scripts/palaver}). */
class PalaverCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PalaverCli cli = new PalaverCli(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void helpListsTheCommandsAndExitsZero() {
        int exit = cli.run("--help");

        assertThat(exit).isZero();
        assertThat(out()).contains("Usage: palaver <command>", "Commands:").containsPattern("(?m)^\\s+serve\\s")
                .containsPattern("(?m)^\\s+version\\s").containsPattern("(?m)^\\s+help\\s")
                .containsPattern("(?m)^\\s+tts --text").containsPattern("(?m)^\\s+stt F.wav");
        assertThat(err()).isEmpty();
    }

    @Test
    void ttsThenSttRoundTripsASentenceOffline(@TempDir Path dir) {
        Path wav = dir.resolve("question.wav");
        assertThat(cli.run("tts", "--text", "What are your opening hours on Saturday", "--out", wav.toString()))
                .as(err()).isZero();
        assertThat(out()).contains("wrote " + wav, "flite");
        out.reset();
        assertThat(cli.run("stt", wav.toString())).as(err()).isZero();
        assertThat(out().strip()).isEqualTo("what are your opening hours on saturday");
    }

    @Test
    void speechCommandsRefuseBadArguments(@TempDir Path dir) {
        assertThat(cli.run("tts", "--text", "hello")).isEqualTo(2);
        assertThat(err()).contains("usage: palaver tts");
        assertThat(cli.run("tts", "--text", "hello", "--out", dir.resolve("x.wav").toString(), "--voice", "nobody"))
                .isEqualTo(2);
        assertThat(err()).contains("unknown voice 'nobody'");
        assertThat(cli.run("stt", dir.resolve("missing.wav").toString())).isEqualTo(1);
        assertThat(err()).contains("cannot read");
        Path notWav = dir.resolve("not.wav");
        try {
            java.nio.file.Files.writeString(notWav, "plain text");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(cli.run("stt", notWav.toString())).isEqualTo(1);
        assertThat(err()).contains("is not a WAV file");
    }

    @Test
    void noCommandShowsHelp() {
        assertThat(cli.run()).isZero();
        assertThat(out()).contains("Commands:");
    }

    @Test
    void unknownCommandExitsTwoWithAHint() {
        int exit = cli.run("frobnicate");

        assertThat(exit).isEqualTo(2);
        assertThat(err()).contains("unknown command 'frobnicate'", "palaver --help");
        assertThat(out()).isEmpty();
    }

    @Test
    void mainDispatchesHelpAndUnknownCommandsWithoutStartingTheServer(@TempDir Path dir) {
        try (JavaProcess help = JavaProcess.start("dev.palaver.server.PalaverApplication", Map.of(), dir, "--help");
             JavaProcess unknown = JavaProcess.start("dev.palaver.server.PalaverApplication", Map.of(), dir, "frobnicate")) {

            assertThat(help.awaitExit(60)).isZero();
            assertThat(help.stdout()).contains("Commands:");
            assertThat(unknown.awaitExit(60)).as("stdout: %s", unknown.stdout()).isEqualTo(2);
            assertThat(unknown.stderr()).contains("unknown command 'frobnicate'");
        }
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
