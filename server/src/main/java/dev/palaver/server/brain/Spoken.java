package dev.palaver.server.brain;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;

/** Dates, times and lists as an agent says them: "Tuesday, December 1", "3 PM", "3:30 PM". */
final class Spoken {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEEE, MMMM d", Locale.ENGLISH);

    private Spoken() {
    }

    static String date(LocalDate date) {
        return DATE.format(date);
    }

    static String time(LocalTime time) {
        if (time.equals(LocalTime.NOON)) {
            return "noon";
        }
        int hour = time.getHour() % 12 == 0 ? 12 : time.getHour() % 12;
        String suffix = time.getHour() < 12 ? " AM" : " PM";
        return time.getMinute() == 0 ? hour + suffix : hour + ":" + String.format(Locale.ROOT, "%02d", time.getMinute()) + suffix;
    }

    static String weekday(LocalDate date) {
        return date.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    /** Appends {@code text} to what is being said, one space between pieces; blank text adds nothing. */
    static void append(StringBuilder said, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        if (!said.isEmpty()) {
            said.append(' ');
        }
        said.append(text.strip());
    }

    /** "a", "a or b", "a, b or c". */
    static String orList(List<String> items) {
        if (items.isEmpty()) {
            return "";
        }
        if (items.size() == 1) {
            return items.getFirst();
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.getLast();
    }
}
