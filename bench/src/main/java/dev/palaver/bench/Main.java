package dev.palaver.bench;

import dev.palaver.bench.api.ApiSuite;
import dev.palaver.bench.calls.CallsSuite;
import dev.palaver.bench.engine.EngineSuite;
import dev.palaver.bench.fakes.FakeProviders;
import java.util.Arrays;
import java.util.List;

/** {@code bench/run SUITE [options]}: runs one benchmark suite; each ends with one {@code RESULT} line. */
public final class Main {

    private static final String USAGE = """
            usage: bench/run SUITE [options]
              engine [--quick]   real-time engine: per-frame cost, Silero window, turn overhead, 200 calls
            (calls, api and knowledge need a server: run them with bench/run SUITE)
            parts of the engine suite, each in its own JVM:
              engine-turns [--turns N] [--warmup N] [--vad energy | --vad silero --speech WAV]
              engine-sessions [--sessions N] [--seconds S] [--warmup-seconds S] [--vad silero|energy] --speech DIR
            processes of the calls suite:
              fakes [--stt-port N] [--http-port N] [--stt-final-ms N] [--stt-partial-ms N] [--llm-ttft-ms N]
                    [--llm-token-ms N] [--tts-ttfb-ms N] [--tts-ms-per-char N] [--lognormal-sigma S]
              calls-simulator --server URL --server-pid PID --gc-log FILE --stt URL --http URL --speech DIR
                    --admin-password P [--smoke | --levels 1,10,…] [--window-seconds S] [--settle-seconds S]
                    [--fakes-pid PID] [--report FILE.md --chart FILE.png --command TEXT] [fake delays as above]
            the api suite's client (seeds, then loads):
              api-load --server URL --admin-password P --db-url JDBC --db-password-file F [--calls N]
                    [--clients N] [--seconds S] [--warmup-seconds S]
            """;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.print(USAGE);
            System.exit(2);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        int status = switch (args[0]) {
            case "engine" -> EngineSuite.run(rest);
            case "engine-turns" -> EngineSuite.turns(rest);
            case "engine-sessions" -> EngineSuite.sessions(rest);
            case "fakes" -> FakeProviders.main(rest, System.out);
            case "calls-simulator" -> CallsSuite.run(rest, System.out);
            case "api-load" -> ApiSuite.run(rest, System.out);
            case "calls", "api", "knowledge" -> {
                System.err.println(args[0] + " runs against a server: use bench/run " + args[0]);
                yield 2;
            }
            default -> {
                System.err.println("bench/run: unknown suite '" + args[0] + "'");
                System.err.print(USAGE);
                yield 2;
            }
        };
        System.exit(status);
    }
}
