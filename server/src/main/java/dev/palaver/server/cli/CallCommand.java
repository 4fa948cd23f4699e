package dev.palaver.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.Resampler;
import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavReader;
import dev.palaver.media.audio.WavWriter;
import dev.palaver.server.agents.AgentDefinitions;
import dev.palaver.server.agents.AgentVersion;
import dev.palaver.server.brain.CallControl;
import dev.palaver.server.calls.CallDirection;
import dev.palaver.server.calls.CallRecord;
import dev.palaver.server.calls.CallRuntime;
import dev.palaver.server.calls.CallStart;
import dev.palaver.server.calls.LiveCall;

/**
 * {@code palaver call --agent NAME --audio Q.wav [--out R.wav] [--org ID]}: one whole call with a
 * simulated caller, through the server's own call runtime (record, providers, brain, engine, recording),
 * on the server's configuration. The caller waits for the greeting, says the WAV, waits for the answer and
 * hangs up; the transcript is printed and the answer written to {@code --out}. Other {@code --name=value}
 * arguments are server settings.
 */
final class CallCommand {

    private static final Duration CALL_LIMIT = Duration.ofSeconds(90);

    private final PrintStream out;
    private final PrintStream err;

    CallCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Starts the server for the command; tests start it differently. */
    interface Server {
        ConfigurableApplicationContext start(String[] settings);
    }

    int run(Server server, String... args) {
        String agentName = null;
        String audio = null;
        String target = null;
        String org = null;
        List<String> settings = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off"));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--agent", "--audio", "--out", "--org" -> {
                    if (i + 1 >= args.length) {
                        return usage();
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--agent" -> agentName = v;
                        case "--audio" -> audio = v;
                        case "--out" -> target = v;
                        default -> org = v;
                    }
                }
                default -> {
                    if (!a.startsWith("--") || !a.contains("=")) {
                        return usage();
                    }
                    settings.add(a);
                }
            }
        }
        if (agentName == null || audio == null) {
            return usage();
        }
        short[] question;
        try {
            WavAudio wav = WavReader.read(Path.of(audio));
            question = Resampler.convert(wav.channels() == 1 ? wav.samples() : wav.channel(0), wav.sampleRate(),
                    AudioFormat.SAMPLE_RATE);
        } catch (IOException e) {
            err.println("palaver: cannot read " + audio + ": " + e.getMessage());
            return 1;
        }
        try (ConfigurableApplicationContext context = server.start(settings.toArray(String[]::new))) {
            Optional<UUID> orgId = organization(context.getBean(JdbcClient.class), org);
            if (orgId.isEmpty()) {
                err.println("palaver: name the organization with --org ID (there is not exactly one)");
                return 2;
            }
            Optional<AgentVersion> agent = context.getBean(AgentDefinitions.class).findByName(orgId.get(), agentName);
            if (agent.isEmpty()) {
                err.println("palaver: no agent named '" + agentName + "' in organization " + orgId.get());
                return 2;
            }
            return call(context.getBean(CallRuntime.class), orgId.get(), agent.get(), question, target);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            err.println("palaver: the call failed: " + e.getMessage() + (root == e ? "" : " (" + root + ")"));
            return 1;
        }
    }

    private int call(CallRuntime runtime, UUID orgId, AgentVersion agent, short[] question, String target) {
        SimulatedCaller caller = new SimulatedCaller(question);
        LiveCall call = runtime.start(new CallStart(orgId, agent.agentId(), CallDirection.INBOUND, null, null, null,
                Map.of("simulated", true)), caller, CallControl.NONE);
        try {
            if (!caller.awaitDone(CALL_LIMIT)) {
                err.println("palaver: no answer within " + CALL_LIMIT.toSeconds() + " s");
            }
            caller.hangUp();
            call.awaitEnd(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        for (CallRecord.Segment s : runtime.transcript(orgId, call.callId())) {
            out.printf("%-6s %s%s%n", s.role() + ":", s.text(), s.interrupted() ? " [interrupted]" : "");
        }
        out.println("call " + call.callId() + " (" + call.ended().toCompletableFuture().join().endReason() + ")");
        if (target != null) {
            short[] reply = caller.reply();
            try {
                Path path = Path.of(target);
                if (path.getParent() != null) {
                    Files.createDirectories(path.getParent());
                }
                WavWriter.write(path, WavAudio.pcm16(AudioFormat.SAMPLE_RATE, 1, reply));
                out.printf("wrote %s (%.2f s)%n", target, reply.length / (double) AudioFormat.SAMPLE_RATE);
            } catch (IOException e) {
                err.println("palaver: could not write " + target + ": " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }

    private static Optional<UUID> organization(JdbcClient jdbc, String given) {
        if (given != null) {
            try {
                return Optional.of(UUID.fromString(given));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        List<UUID> all = jdbc.sql("select id from organizations order by created_at limit 2").query(UUID.class).list();
        return all.size() == 1 ? Optional.of(all.getFirst()) : Optional.empty();
    }

    private int usage() {
        err.println("usage: palaver call --agent NAME --audio question.wav [--out reply.wav] [--org ID]");
        return 2;
    }
}
