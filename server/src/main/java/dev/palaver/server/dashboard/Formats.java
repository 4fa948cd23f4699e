package dev.palaver.server.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the pages print times, durations and sizes ({@code ${fmt.…}} in templates). */
public final class Formats {

    static final Formats INSTANCE = new Formats();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Formats() {
    }

    public String time(Instant t) {
        return t == null ? "—" : TIME.format(t);
    }

    public String millis(Number ms) {
        return ms == null ? "—" : Math.round(ms.doubleValue()) + " ms";
    }

    public String seconds(Number s) {
        if (s == null) {
            return "—";
        }
        Duration d = Duration.ofMillis(Math.round(s.doubleValue() * 1000));
        return d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : d.toSecondsPart() + " s";
    }

    public String bytes(long n) {
        return n < 1024 ? n + " B" : n < 1024 * 1024 ? (n / 1024) + " KB" : String.format("%.1f MB", n / 1048576.0);
    }
}
