package dev.palaver.server.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

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

    public String between(Instant from, Instant to) {
        return from == null || to == null ? "—" : seconds(Duration.between(from, to).toMillis() / 1000.0);
    }

    /** An offset from the start of a call, as m:ss.s. */
    public String clock(long ms) {
        return String.format("%d:%04.1f", ms / 60_000, (ms % 60_000) / 1000.0);
    }

    /** A field of a JSON payload as text; empty when absent or null. */
    public String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? "" : v.isString() ? v.asString() : v.toString();
    }

    /** A day typed in a date field ({@code 2026-11-24}); null when blank, 400 with a readable message when malformed. */
    static LocalDate day(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(s.strip());
        } catch (DateTimeParseException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "Dates are written like 2026-11-24.");
        }
    }

    public String bytes(Long n) {
        if (n == null) {
            return "—";
        }
        return n < 1024 ? n + " B" : n < 1024 * 1024 ? (n / 1024) + " KB" : String.format("%.1f MB", n / 1048576.0);
    }
}
