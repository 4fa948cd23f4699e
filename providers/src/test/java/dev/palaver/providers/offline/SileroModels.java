package dev.palaver.providers.offline;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds the real Silero model for tests: {@code PALAVER_SILERO_MODEL}, else the default cache path, else
 * runs {@code scripts/fetch-models} to put it there. Never skips: without the model the tests fail.
 */
final class SileroModels {
    private SileroModels() {
    }

    static Path locate() throws IOException, InterruptedException {
        Path path = SileroModel.defaultPath();
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (System.getenv("PALAVER_SILERO_MODEL") != null) {
            return fail("PALAVER_SILERO_MODEL is set to %s, which does not exist", path);
        }
        Path script = findScript();
        Path log = Files.createTempFile("fetch-models", ".log");
        Process process = new ProcessBuilder("bash", script.toString())
                .redirectError(log.toFile())
                .start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return fail("%s did not finish in 5 minutes", script);
        }
        String stderr = Files.readString(log);
        Files.deleteIfExists(log);
        List<String> lines = stdout.lines().filter(line -> !line.isBlank()).toList();
        if (process.exitValue() != 0 || lines.isEmpty() || !Files.isRegularFile(Path.of(lines.getLast()))) {
            return fail("%s failed (exit %d): %s%s", script, process.exitValue(), stdout, stderr);
        }
        return Path.of(lines.getLast());
    }

    private static Path findScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("scripts").resolve("fetch-models");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        return fail("scripts/fetch-models not found above %s", Path.of("").toAbsolutePath());
    }
}
