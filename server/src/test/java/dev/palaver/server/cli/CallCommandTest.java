package dev.palaver.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavReader;
import dev.palaver.media.audio.WavWriter;
import dev.palaver.server.PalaverApplication;
import dev.palaver.server.calls.CallTesting;
import dev.palaver.server.calls.FakeOpenAi;
import dev.palaver.server.calls.FliteSpeech;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.testing.PalaverApps;
import dev.palaver.server.testing.SharedPalaverContext;
import dev.palaver.server.testing.TestDirs;

/** {@code palaver call}: a whole call with a simulated caller through the server's call runtime. */
class CallCommandTest extends SharedPalaverContext {

    @Test
    void aCallFromTheCommandLinePrintsTheTranscriptAndWritesTheAnswer() throws Exception {
        UUID org = IdentityTestAccess.organization(context);
        String admin = IdentityTestAccess.adminToken(context, org);
        Path dir = TestDirs.target().resolve("cli-call-" + UUID.randomUUID());
        Files.createDirectories(dir);
        Path question = dir.resolve("question.wav");
        WavWriter.write(question, WavAudio.pcm16(AudioFormat.SAMPLE_RATE, 1, FliteSpeech.say("What are your opening hours?")));
        Path reply = dir.resolve("reply.wav");
        try (FakeOpenAi llm = new FakeOpenAi("We are open from nine to five.")) {
            CallTesting.useLanguageModel(http, admin, llm.baseUrl());
            CallTesting.createAgent(http, admin, CallTesting.llmAgentBody("Command desk", "Hello, this is the clinic."));
            List<String> server = new ArrayList<>();
            PalaverApps.on(database()).forEach((k, v) -> {
                if (!k.equals("server.port")) {
                    server.add("--" + k + "=" + v);
                }
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PalaverCli cli = new PalaverCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), settings -> {
                        List<String> all = new ArrayList<>(List.of(settings));
                        all.addAll(server);
                        return PalaverApplication.application().run(all.toArray(String[]::new));
                    });
            int code = cli.run("call", "--agent", "command DESK", "--audio", question.toString(), "--out", reply.toString(),
                    "--org", org.toString());
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(printed).contains("agent: Hello, this is the clinic.").contains("caller:")
                    .contains("agent: We are open from nine to five.");
            WavAudio answer = WavReader.read(reply);
            assertThat(answer.durationSeconds()).isGreaterThan(1.0);

            ByteArrayOutputStream usage = new ByteArrayOutputStream();
            assertThat(new PalaverCli(new PrintStream(out), new PrintStream(usage)).run("call", "--agent", "x")).isEqualTo(2);
            assertThat(usage.toString()).contains("usage: palaver call --agent NAME --audio question.wav");
        }
    }
}
