package dev.palaver.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Prometheus scrape of a running server, read as a test reads it, and checked with the real promtool. */
public final class Scrapes {

    private Scrapes() {
    }

    /** {@code /actuator/prometheus} with the scrape token: a 200 in the text format. */
    public static String scrape(Http http) {
        HttpResponse<String> r = http.get("/actuator/prometheus", "Authorization", "Bearer " + SharedPalaverContext.METRICS_TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        return r.body();
    }

    /** Fails unless {@code promtool check metrics} accepts the scrape. */
    public static void assertPromtoolClean(String scrape) throws IOException, InterruptedException {
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (var in = promtool.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String report = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(promtool.exitValue()).as("promtool check metrics said:\n%s", report).isZero();
    }

    /**
     * The value of the series {@code name} whose labels include every {@code label="value"} of
     * {@code labels} (in the scrape's order), or 0 if there is none yet.
     */
    public static double value(String scrape, String name, String... labels) {
        StringBuilder pattern = new StringBuilder("(?m)^").append(Pattern.quote(name)).append("(\\{[^}]*\\})? (\\S+)$");
        Matcher m = Pattern.compile(pattern.toString()).matcher(scrape);
        double sum = 0;
        while (m.find()) {
            String set = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= set.contains(label);
            }
            if (all) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
